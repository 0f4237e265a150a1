import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import type { InputOf } from '../../../../shared/contract'
import { slipway } from '../../api/client'
import { useTopic } from '../../api/useTopic'

export const hostKeys = {
  all: ['hosts'] as const,
  engine: (hostId: string) => ['hosts', hostId, 'engine'] as const,
  sshAliases: ['hosts', 'ssh-aliases'] as const,
  dockerContexts: ['hosts', 'docker-contexts'] as const,
}

/** The list changed (a host saved, connected, trusted or removed): refetch it and the host's facts. */
function refreshHost(client: QueryClient, hostId?: string): void {
  void client.invalidateQueries({ queryKey: hostKeys.all, exact: true })
  if (hostId !== undefined) void client.invalidateQueries({ queryKey: hostKeys.engine(hostId) })
}

export function useHosts() {
  const client = useQueryClient()
  useTopic('hosts.status', {}, (event) => refreshHost(client, event.hostId))
  return useQuery({ queryKey: hostKeys.all, queryFn: () => slipway.hosts.list() })
}

export function useEngineFacts(hostId: string, enabled: boolean) {
  return useQuery({
    queryKey: hostKeys.engine(hostId),
    queryFn: () => slipway.hosts.engine({ hostId }),
    refetchInterval: enabled ? 15_000 : false,
    enabled,
  })
}

export function useSshAliases() {
  return useQuery({ queryKey: hostKeys.sshAliases, queryFn: () => slipway.hosts.sshAliases(), staleTime: 60_000 })
}

export function useDockerContexts() {
  return useQuery({ queryKey: hostKeys.dockerContexts, queryFn: () => slipway.hosts.dockerContexts() })
}

export interface SaveHostInput {
  /** null: a new host. */
  readonly hostId: string | null
  readonly host: InputOf<'hosts.add'>
}

export interface SaveHostResult {
  readonly hostId: string
  /** The host is saved either way; this is why the first connection failed, if it did. */
  readonly connectError: unknown
}

/** Adds or updates a host, then connects to it. A failed save rejects; a failed connect does not. */
export function useSaveHost() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async ({ hostId, host }: SaveHostInput): Promise<SaveHostResult> => {
      const saved = hostId === null ? await slipway.hosts.add(host) : await slipway.hosts.update({ hostId, ...host })
      refreshHost(client, saved.id)
      try {
        await slipway.hosts.connect({ hostId: saved.id })
        return { hostId: saved.id, connectError: null }
      } catch (error) {
        return { hostId: saved.id, connectError: error }
      }
    },
    onSuccess: (result) => {
      refreshHost(client, result.hostId)
      void client.invalidateQueries({ queryKey: hostKeys.dockerContexts })
    },
  })
}

export function useConnectHost(hostId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => slipway.hosts.connect({ hostId }),
    onSettled: () => refreshHost(client, hostId),
  })
}

export function useTrustHost() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'hosts.trust'>) => slipway.hosts.trust(input),
    onSettled: (_data, _error, input) => refreshHost(client, input.hostId),
  })
}

export function useTestConnection(hostId: string) {
  return useMutation({ mutationFn: () => slipway.hosts.test({ hostId }) })
}

export function useRemoveHost(hostId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => slipway.hosts.remove({ hostId }),
    onSuccess: () => {
      client.removeQueries({ queryKey: hostKeys.engine(hostId) })
      refreshHost(client)
      void client.invalidateQueries({ queryKey: hostKeys.dockerContexts })
    },
  })
}

/** Sets (null: clears) the image helper containers run on this host; main checks it is there and has a shell. */
export function useSetHelperImage(hostId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (image: string | null) => slipway.hosts.setHelperImage({ hostId, image }),
    onSuccess: () => refreshHost(client, hostId),
  })
}
