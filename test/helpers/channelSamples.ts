import type { ChannelName, InputOf, TopicInputOf, TopicName } from '../../src/shared/contract'

/**
 * One valid input per channel and topic. The type forces a sample for every channel, so a new
 * channel cannot escape the contract tests.
 */
export const channelSamples: { readonly [K in ChannelName]: InputOf<K> } = {
  'app.info': {},
  'settings.get': {},
  'settings.update': { language: 'ru', deployHistoryLimit: 50 },
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
  'workloads.list': { hostId: 'local' },
  'workloads.get': { workloadId: 'w-1' },
  'workloads.create': {
    hostId: 'local',
    name: 'paperless',
    snapshotBeforeDeploy: true,
    services: [
      {
        name: 'web',
        image: 'ghcr.io/paperless-ngx/paperless-ngx:2.14',
        command: ['gunicorn', '--bind', '0.0.0.0:8000'],
        env: [
          { name: 'PAPERLESS_URL', value: 'https://docs.lan', secret: false },
          { name: 'PAPERLESS_SECRET_KEY', value: 'hunter2', secret: true },
        ],
        ports: [{ hostIp: '127.0.0.1', hostPort: 8000, containerPort: 8000, protocol: 'tcp' }],
        volumes: [
          {
            kind: 'bind',
            source: '/srv/paperless/data',
            target: '/usr/src/paperless/data',
            readOnly: false,
            excludeFromSnapshots: false,
          },
          {
            kind: 'volume',
            source: 'paperless_media',
            target: '/usr/src/paperless/media',
            readOnly: false,
            excludeFromSnapshots: true,
          },
        ],
        restart: 'unless-stopped',
      },
    ],
  },
  'workloads.update': {
    workloadId: 'w-1',
    name: 'paperless',
    snapshotBeforeDeploy: false,
    services: [{ name: 'web', image: 'busybox:1', command: null, env: [], ports: [], volumes: [], restart: 'no' }],
  },
  'workloads.delete': { workloadId: 'w-1', keepVolumes: true },
  'workloads.deploy': { workloadId: 'w-1' },
  'workloads.redeploy': { workloadId: 'w-1' },
  'workloads.rollback': { workloadId: 'w-1', deploymentId: 'd-1' },
  'workloads.start': { workloadId: 'w-1' },
  'workloads.stop': { workloadId: 'w-1' },
  'workloads.history': { workloadId: 'w-1' },
  'workloads.candidates': { hostId: 'local' },
  'workloads.adopt': { hostId: 'local', kind: 'compose', key: 'immich', name: 'immich' },
  'jobs.cancel': { jobId: 'job-1' },
}

export const topicSamples: { readonly [T in TopicName]: TopicInputOf<T> } = {
  'hosts.status': {},
  'workloads.logs': { workloadId: 'w-1', tail: 200 },
  'jobs.progress': { jobId: 'job-1' },
}
