import { hashFor } from '../../app/route'

/** The host every install has: the engine on this machine. */
export const LOCAL_HOST_ID = 'local'

export const workloadListHash = (hostId: string): string => hashFor('workloads', hostId)

export const workloadHash = (hostId: string, workloadId: string): string => hashFor('workloads', hostId, workloadId)
