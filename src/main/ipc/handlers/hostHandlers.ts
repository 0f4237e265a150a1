import type { HostService } from '../../hosts/hostService'
import type { Handlers } from '../router'

type HostChannels =
  | 'hosts.list'
  | 'hosts.engine'
  | 'hosts.add'
  | 'hosts.update'
  | 'hosts.remove'
  | 'hosts.connect'
  | 'hosts.trust'
  | 'hosts.test'
  | 'hosts.containers'
  | 'hosts.sshAliases'
  | 'hosts.dockerContexts'
  | 'hosts.setHelperImage'

export function hostHandlers(hosts: HostService): Pick<Handlers, HostChannels> {
  return {
    'hosts.list': () => hosts.list(),
    'hosts.engine': ({ hostId }) => hosts.engine(hostId),
    'hosts.add': (input) => hosts.add(input),
    'hosts.update': ({ hostId, ...input }) => hosts.update(hostId, input),
    'hosts.remove': async ({ hostId }) => {
      await hosts.remove(hostId)
      return null
    },
    'hosts.connect': ({ hostId }) => hosts.connect(hostId),
    'hosts.trust': ({ hostId, fingerprint }) => hosts.trust(hostId, fingerprint),
    'hosts.test': ({ hostId }) => hosts.test(hostId),
    'hosts.containers': ({ hostId }) => hosts.containers(hostId),
    'hosts.sshAliases': () => hosts.aliases(),
    'hosts.dockerContexts': () => hosts.dockerContexts(),
    'hosts.setHelperImage': ({ hostId, image }) => hosts.setHelperImage(hostId, image),
  }
}
