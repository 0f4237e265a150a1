/**
 * The one IPC contract. Every channel is declared here once with its input schema and result type;
 * main, preload, the dev-web bridge and the renderer all derive from it. No Electron or Node imports.
 */
import { z } from 'zod'
import {
  absolutePathSchema,
  emptyInput,
  fingerprintSchema,
  hostnameSchema,
  hostRef,
  idSchema,
  languageSchema,
  localPathSchema,
  nameSchema,
  portSchema,
  slugSchema,
  imageRefSchema,
  userSchema,
  LIMITS,
} from './schema'
import type { AppInfo, Settings } from './types/app'
import type {
  ConnectionTest,
  ContainerSummary,
  DockerContextCandidate,
  EngineFacts,
  HostStatusEvent,
  HostView,
} from './types/hosts'
import type { JobProgress } from './types/jobs'
import type {
  CaptureHooks,
  DirectoryListing,
  FilePreview,
  HookRun,
  RetentionPolicy,
  SnapshotSummary,
  VerifyResult,
} from './types/snapshots'
import type { RestoreRecord } from './types/restore'
import type { CatalogResult, SnapshotDestinations, StoreStats, StoreSummary, StoreVerifyResult } from './types/stores'
import type { ComposeExport, ComposePreview } from './types/compose'
import { METRIC_WINDOWS, type CurrentMetric, type MetricSeries } from './types/metrics'
import { networkSpecSchema, serviceSpecSchema, volumeSpecSchema, workloadSpecIssues } from './serviceSpec'
import type {
  AdoptionCandidate,
  AdoptionPreview,
  DeployRecord,
  LogLine,
  WorkloadDetail,
  WorkloadSummary,
} from './types/workloads'

export interface ChannelDef<I extends z.ZodType, O> {
  readonly input: I
  /** Phantom: carries the result type, never read at run time. */
  readonly output: O
}

export interface TopicDef<I extends z.ZodType, P> {
  readonly input: I
  /** Phantom: carries the event payload type, never read at run time. */
  readonly payload: P
}

const channel =
  <O>() =>
  <I extends z.ZodType>(input: I): ChannelDef<I, O> => ({ input, output: undefined as O })

const topic =
  <P>() =>
  <I extends z.ZodType>(input: I): TopicDef<I, P> => ({ input, payload: undefined as P })

const sshHostFields = {
  name: nameSchema,
  alias: hostnameSchema.nullable(),
  hostname: hostnameSchema.nullable(),
  port: portSchema.nullable(),
  user: userSchema.nullable(),
  identityFile: localPathSchema.nullable(),
  useAgent: z.boolean(),
  /** Write-only. Omitted: keep the stored one; null: remove it. */
  passphrase: z.string().min(1).max(1024).nullable().optional(),
  socketPath: absolutePathSchema,
}

const needsDestination = (host: { alias: string | null; hostname: string | null }): boolean =>
  host.alias !== null || host.hostname !== null

export const sshHostInput = z
  .strictObject(sshHostFields)
  .refine(needsDestination, { message: 'alias or hostname', path: ['hostname'] })

export const sshHostUpdateInput = z
  .strictObject({ hostId: idSchema, ...sshHostFields })
  .refine(needsDestination, { message: 'alias or hostname', path: ['hostname'] })

export type SshHostInput = z.input<typeof sshHostInput>

const workloadFields = {
  name: slugSchema,
  services: z.array(serviceSpecSchema).min(1).max(20),
  networks: z.array(networkSpecSchema).max(32).default([]),
  volumes: z.array(volumeSpecSchema).max(100).default([]),
  snapshotBeforeDeploy: z.boolean(),
}

/** Refuses, naming the field, what only the whole workload shows: unknown services, undeclared networks, cycles. */
function checkWorkload(workload: WorkloadSpecShape, ctx: z.RefinementCtx): void {
  for (const issue of workloadSpecIssues(workload))
    ctx.addIssue({ code: 'custom', message: issue.message, path: [...issue.path] })
}
type WorkloadSpecShape = Parameters<typeof workloadSpecIssues>[0]

export const workloadInput = z.strictObject({ hostId: idSchema, ...workloadFields }).superRefine(checkWorkload)
export const workloadUpdateInput = z
  .strictObject({ workloadId: idSchema, ...workloadFields })
  .superRefine(checkWorkload)
export type WorkloadInput = z.input<typeof workloadInput>

const workloadRef = z.strictObject({ workloadId: idSchema })
const composeSource = z.strictObject({
  text: z.string().max(1024 * 1024),
  envText: z
    .string()
    .max(256 * 1024)
    .nullable(),
  /** The folder relative paths in the file are resolved against (on the engine's host); null: pasted text. */
  projectDir: absolutePathSchema.nullable(),
  name: slugSchema,
  profiles: z.array(slugSchema).max(32),
})
const adoptionRef = z.strictObject({
  hostId: idSchema,
  kind: z.enum(['container', 'compose']),
  key: z.string().min(1).max(255),
})
const snapshotRef = z.strictObject({ snapshotId: idSchema })
/** A path inside a snapshot volume, relative to its root ('' is the root). */
const snapshotPath = z
  .string()
  .max(4096)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..') && !p.includes('\0'), 'path')

const captureMode = z.enum(['stop', 'pause', 'live'])
/** A raw live copy of a workload with a database needs this, said on purpose: it may not be consistent. */
const acknowledgeInconsistent = z.boolean().optional()

export const retentionInput = z.strictObject({
  workloadId: idSchema,
  scheduleEnabled: z.boolean(),
  /** Omitted: stop the app, as before schedules had a mode. */
  scheduleMode: captureMode.default('stop'),
  acknowledgeInconsistent,
  scheduleTime: z
    .string()
    .max(5)
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time'),
  keepLast: z.number().int().min(1).max(1000),
  keepDaily: z.number().int().min(0).max(1000),
  keepWeekly: z.number().int().min(0).max(1000),
})

/** A repository password: long enough to matter, and never echoed back. */
const storeSecret = z.string().min(1).max(LIMITS.text)
const storeLocation = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('folder'), path: localPathSchema }),
  z.strictObject({ kind: z.literal('sftp'), hostId: idSchema, path: absolutePathSchema }),
  z.strictObject({
    kind: z.literal('rest'),
    url: z.url({ protocol: /^https?$/ }).max(LIMITS.text),
    username: z.string().max(LIMITS.name).nullable(),
  }),
  z.strictObject({
    kind: z.literal('s3'),
    endpoint: z.url({ protocol: /^https?$/ }).max(LIMITS.text),
    bucket: z.string().trim().min(1).max(LIMITS.name),
    prefix: z.string().max(LIMITS.path),
    region: z.string().max(LIMITS.name).nullable(),
    accessKeyId: z.string().min(1).max(LIMITS.name),
  }),
])
const storeRef = z.strictObject({ storeId: idSchema })
const keepCount = z.number().int().min(0).max(1000)
export const destinationsInput = z.strictObject({
  workloadId: idSchema,
  local: z.boolean(),
  stores: z
    .array(z.strictObject({ storeId: idSchema, keepLast: keepCount, keepDaily: keepCount, keepWeekly: keepCount }))
    .max(16),
})

/** A hook may run for up to an hour (a large database's dump); the default is five minutes. */
export const HOOK_TIMEOUT_MAX_S = 3600
export const captureHooksInput = z.strictObject({
  workloadId: idSchema,
  hooks: z
    .array(
      z.strictObject({
        phase: z.enum(['pre', 'post']),
        service: z.string().min(1).max(LIMITS.name),
        command: z.string().trim().min(1).max(LIMITS.text),
        timeoutSeconds: z.number().int().min(1).max(HOOK_TIMEOUT_MAX_S),
      }),
    )
    .max(16),
  continueOnPreFailure: z.boolean(),
})

export const channels = {
  'app.info': channel<AppInfo>()(emptyInput),

  'settings.get': channel<Settings>()(emptyInput),
  'settings.update': channel<Settings>()(
    z.strictObject({
      language: languageSchema.nullable().optional(),
      deployHistoryLimit: z.number().int().min(1).max(1000).optional(),
      metricsIntervalSeconds: z.number().int().min(5).max(300).optional(),
      preRestorePinDays: z.number().int().min(1).max(3650).optional(),
      allowWeakSecretStorage: z.boolean().optional(),
    }),
  ),

  'hosts.list': channel<HostView[]>()(emptyInput),
  'hosts.engine': channel<EngineFacts>()(hostRef),
  'hosts.add': channel<HostView>()(sshHostInput),
  'hosts.update': channel<HostView>()(sshHostUpdateInput),
  'hosts.remove': channel<null>()(hostRef),
  'hosts.connect': channel<HostView>()(hostRef),
  'hosts.trust': channel<HostView>()(z.strictObject({ hostId: idSchema, fingerprint: fingerprintSchema })),
  'hosts.test': channel<ConnectionTest>()(hostRef),
  'hosts.containers': channel<ContainerSummary[]>()(hostRef),
  'hosts.sshAliases': channel<string[]>()(emptyInput),
  'hosts.dockerContexts': channel<DockerContextCandidate[]>()(emptyInput),
  'hosts.setHelperImage': channel<HostView>()(z.strictObject({ hostId: idSchema, image: imageRefSchema.nullable() })),

  'workloads.list': channel<WorkloadSummary[]>()(hostRef),
  'workloads.get': channel<WorkloadDetail>()(workloadRef),
  'workloads.create': channel<WorkloadDetail>()(workloadInput),
  'workloads.update': channel<WorkloadDetail>()(workloadUpdateInput),
  'workloads.delete': channel<null>()(z.strictObject({ workloadId: idSchema, keepVolumes: z.boolean() })),
  'workloads.deploy': channel<DeployRecord>()(workloadRef),
  'workloads.redeploy': channel<DeployRecord>()(workloadRef),
  'workloads.rollback': channel<DeployRecord>()(z.strictObject({ workloadId: idSchema, deploymentId: idSchema })),
  'workloads.start': channel<WorkloadDetail>()(workloadRef),
  'workloads.stop': channel<WorkloadDetail>()(workloadRef),
  'workloads.history': channel<DeployRecord[]>()(workloadRef),
  'workloads.candidates': channel<AdoptionCandidate[]>()(hostRef),
  'workloads.adoptionPreview': channel<AdoptionPreview>()(adoptionRef),
  /** What a compose file would create, and every problem at its line; nothing is created. */
  'compose.preview': channel<ComposePreview>()(composeSource),
  /** Creates the workload a compose file describes; refused (BAD_INPUT, `compose_problems`) while it has errors. */
  'workloads.importCompose': channel<WorkloadDetail>()(
    z.strictObject({ ...composeSource.shape, hostId: idSchema, snapshotBeforeDeploy: z.boolean() }),
  ),
  /**
   * Replaces a workload's configuration with a compose file's (its name stays); refused like an import
   * while the file has errors. A secret the file names without a value keeps the stored one.
   */
  'workloads.updateFromCompose': channel<WorkloadDetail>()(
    z.strictObject({ ...composeSource.omit({ name: true }).shape, workloadId: idSchema }),
  ),
  'workloads.exportCompose': channel<ComposeExport>()(
    z.strictObject({ workloadId: idSchema, includeSecrets: z.boolean() }),
  ),
  'workloads.adopt': channel<WorkloadDetail>()(
    z.strictObject({
      ...adoptionRef.shape,
      name: slugSchema,
      /** Settings Slipway cannot reproduce were shown to the user, who adopts without them. */
      acknowledgeUnsupported: z.boolean().optional(),
    }),
  ),

  'snapshots.list': channel<SnapshotSummary[]>()(
    z.strictObject({ hostId: idSchema.optional(), workloadId: idSchema.optional() }),
  ),
  'snapshots.get': channel<SnapshotSummary>()(snapshotRef),
  'snapshots.capture': channel<SnapshotSummary>()(
    z.strictObject({
      workloadId: idSchema,
      mode: captureMode,
      label: z.string().trim().max(200).nullable(),
      acknowledgeInconsistent,
    }),
  ),
  'snapshots.browse': channel<DirectoryListing>()(
    z.strictObject({
      snapshotId: idSchema,
      volume: z.number().int().min(0).max(1000),
      dir: snapshotPath,
      offset: z.number().int().min(0).max(10_000_000),
      limit: z.number().int().min(1).max(5000),
    }),
  ),
  'snapshots.preview': channel<FilePreview>()(
    z.strictObject({ snapshotId: idSchema, volume: z.number().int().min(0).max(1000), path: snapshotPath }),
  ),
  'snapshots.extract': channel<{ path: string }>()(
    z.strictObject({
      snapshotId: idSchema,
      volume: z.number().int().min(0).max(1000),
      path: snapshotPath,
      destination: localPathSchema,
    }),
  ),
  'snapshots.export': channel<{ path: string }>()(
    z.strictObject({ snapshotId: idSchema, destination: localPathSchema }),
  ),
  'snapshots.import': channel<SnapshotSummary>()(z.strictObject({ path: localPathSchema })),
  'snapshots.verify': channel<VerifyResult>()(snapshotRef),
  'snapshots.pin': channel<SnapshotSummary>()(z.strictObject({ snapshotId: idSchema, pinned: z.boolean() })),
  'snapshots.delete': channel<null>()(snapshotRef),
  'snapshots.policy': channel<RetentionPolicy>()(workloadRef),
  'snapshots.setPolicy': channel<RetentionPolicy>()(retentionInput),
  'snapshots.destinations': channel<SnapshotDestinations>()(workloadRef),
  'snapshots.setDestinations': channel<SnapshotDestinations>()(destinationsInput),
  'snapshots.hooks': channel<CaptureHooks>()(workloadRef),
  'snapshots.setHooks': channel<CaptureHooks>()(captureHooksInput),
  'snapshots.hookRuns': channel<HookRun[]>()(snapshotRef),
  /** Reads a snapshot known only from a store's catalog back, so it can be browsed offline. */
  'snapshots.index': channel<SnapshotSummary>()(snapshotRef),
  'stores.list': channel<StoreSummary[]>()(emptyInput),
  'stores.add': channel<StoreSummary>()(
    z.strictObject({
      name: nameSchema,
      location: storeLocation,
      password: storeSecret,
      backendSecret: storeSecret.nullable(),
      mode: z.enum(['create', 'attach']),
    }),
  ),
  'stores.remove': channel<null>()(storeRef),
  'stores.stats': channel<StoreStats>()(storeRef),
  'stores.unlock': channel<null>()(z.strictObject({ storeId: idSchema, all: z.boolean() })),
  'stores.catalog': channel<CatalogResult>()(storeRef),
  'stores.verify': channel<StoreVerifyResult>()(
    z.strictObject({ storeId: idSchema, snapshotId: idSchema, readDataPercent: z.number().min(0).max(100) }),
  ),
  'restore.start': channel<RestoreRecord>()(
    z.strictObject({
      workloadId: idSchema,
      snapshotId: idSchema,
      confirm: z.string().max(LIMITS.id),
      /** An imported snapshot's files keep setuid/setgid only when asked (they are cleared by default). */
      keepSetid: z.boolean().optional(),
      /** The database's volume is made from the dump the snapshot holds (`SnapshotSummary.dump`). */
      fromDump: z.boolean().optional(),
    }),
  ),
  'restore.list': channel<RestoreRecord[]>()(workloadRef),
  'metrics.series': channel<MetricSeries>()(z.strictObject({ workloadId: idSchema, window: z.enum(METRIC_WINDOWS) })),
  'metrics.current': channel<CurrentMetric[]>()(hostRef),
  'dialogs.chooseDirectory': channel<string | null>()(emptyInput),
  'dialogs.chooseFile': channel<string | null>()(emptyInput),

  'jobs.cancel': channel<null>()(z.strictObject({ jobId: idSchema })),
} as const

export const topics = {
  'hosts.status': topic<HostStatusEvent>()(emptyInput),
  'workloads.logs': topic<LogLine>()(
    z.strictObject({ workloadId: idSchema, tail: z.number().int().min(0).max(10_000) }),
  ),
  'restore.notices': topic<RestoreRecord>()(emptyInput),
  'jobs.progress': topic<JobProgress>()(z.strictObject({ jobId: idSchema.optional() })),
} as const

export type Channels = typeof channels
export type ChannelName = keyof Channels
/** What a caller passes (before defaults and transforms). */
export type InputOf<K extends ChannelName> = z.input<Channels[K]['input']>
/** What a handler receives (after validation). */
export type ParsedInputOf<K extends ChannelName> = z.output<Channels[K]['input']>
export type OutputOf<K extends ChannelName> = Channels[K]['output']

export type Topics = typeof topics
export type TopicName = keyof Topics
export type TopicInputOf<T extends TopicName> = z.input<Topics[T]['input']>
export type ParsedTopicInputOf<T extends TopicName> = z.output<Topics[T]['input']>
export type PayloadOf<T extends TopicName> = Topics[T]['payload']

export const channelNames = Object.keys(channels) as ChannelName[]
export const topicNames = Object.keys(topics) as TopicName[]

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && Object.hasOwn(channels, value)
}

export function isTopicName(value: unknown): value is TopicName {
  return typeof value === 'string' && Object.hasOwn(topics, value)
}
