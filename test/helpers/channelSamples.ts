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
  'jobs.cancel': { jobId: 'job-1' },
}

export const topicSamples: { readonly [T in TopicName]: TopicInputOf<T> } = {
  'hosts.status': {},
  'jobs.progress': { jobId: 'job-1' },
}
