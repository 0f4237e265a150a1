import type { ChannelName, InputOf, TopicInputOf, TopicName } from '../../src/shared/contract'

/**
 * One valid input per channel and topic. The type forces a sample for every channel, so a new
 * channel cannot escape the contract tests.
 */
export const channelSamples: { readonly [K in ChannelName]: InputOf<K> } = {
  'app.info': {},
  'settings.get': {},
  'settings.update': { language: 'ru' },
  'hosts.list': {},
  'hosts.engine': { hostId: 'local' },
  'hosts.add': {
    name: 'nas',
    alias: null,
    hostname: 'nas.lan',
    port: 22,
    user: 'admin',
    identityFile: '~/.ssh/id_ed25519',
    useAgent: false,
    passphrase: 'correct horse',
    socketPath: '/var/run/docker.sock',
  },
  'hosts.update': {
    hostId: 'host-1',
    name: 'nas',
    alias: 'nas',
    hostname: null,
    port: null,
    user: null,
    identityFile: null,
    useAgent: true,
    passphrase: null,
    socketPath: '/run/user/1000/docker.sock',
  },
  'hosts.remove': { hostId: 'host-1' },
  'hosts.connect': { hostId: 'host-1' },
  'hosts.trust': { hostId: 'host-1', fingerprint: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU' },
  'hosts.test': { hostId: 'host-1' },
  'hosts.containers': { hostId: 'host-1' },
  'hosts.sshAliases': {},
  'hosts.dockerContexts': {},
  'jobs.cancel': { jobId: 'job-1' },
}

export const topicSamples: { readonly [T in TopicName]: TopicInputOf<T> } = {
  'hosts.status': {},
  'jobs.progress': { jobId: 'job-1' },
}
