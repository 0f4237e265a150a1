import { useQuery, useQueryClient } from '@tanstack/react-query'
import { slipway } from '../../api/client'
import { useTopic } from '../../api/useTopic'

export const hostKeys = {
  all: ['hosts'] as const,
  engine: (hostId: string) => ['hosts', hostId, 'engine'] as const,
}

export function useHosts() {
  const client = useQueryClient()
  useTopic('hosts.status', {}, () => void client.invalidateQueries({ queryKey: hostKeys.all, exact: true }))
  return useQuery({ queryKey: hostKeys.all, queryFn: () => slipway.hosts.list() })
}

export function useEngineFacts(hostId: string) {
  return useQuery({
    queryKey: hostKeys.engine(hostId),
    queryFn: () => slipway.hosts.engine({ hostId }),
    refetchInterval: 15_000,
  })
}
