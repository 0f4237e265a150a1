import { z } from 'zod'
import { workloadInput } from '../../src/shared/contract'
import { serviceSpecSchema } from '../../src/shared/serviceSpec'
import type { ServiceSpec } from '../../src/shared/types/workloads'
import type { WorkloadFields } from '../../src/main/workloads/workloadStore'

/** A service spec with every default filled in, as the contract would leave it. */
export function serviceSpec(fields: z.input<typeof serviceSpecSchema>): ServiceSpec {
  return serviceSpecSchema.parse(fields)
}

/** A workload's fields as the contract validates them (references, cycles…), for a store call. */
export function workloadFields(fields: Omit<z.input<typeof workloadInput>, 'hostId'>): WorkloadFields {
  const { hostId: _hostId, ...parsed } = workloadInput.parse({ hostId: 'local', ...fields })
  return parsed
}
