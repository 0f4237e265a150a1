import type { HostService } from '../../hosts/hostService'
import type { Handlers } from '../router'

export function hostHandlers(hosts: HostService): Pick<Handlers, 'hosts.list' | 'hosts.engine'> {
  return {
    'hosts.list': () => hosts.list(),
    'hosts.engine': ({ hostId }) => hosts.engine(hostId),
  }
}
