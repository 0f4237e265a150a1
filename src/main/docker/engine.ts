/**
 * The engine port, by role. Every module outside src/main/docker/ talks to a Docker engine only
 * through these interfaces; dockerode sits behind them (engineAdapter.ts). The role that changes
 * a workload's containers, ContainerLifecycle, is declared apart (containerLifecycle.ts) and handed
 * only to the dispatch point.
 */
import type { Readable } from 'node:stream'

import type Dockerode from 'dockerode'

/** The Engine API's own JSON shapes, as the engine sends them. */
export type ContainerListing = Dockerode.ContainerInfo
export type ContainerDetails = Dockerode.ContainerInspectInfo
export type ImageListing = Dockerode.ImageInfo
export type ImageDetails = Dockerode.ImageInspectInfo
export type VolumeDetails = Dockerode.VolumeInspectInfo
export type NetworkDetails = Dockerode.NetworkInspectInfo
export type ContainerCreateSpec = Dockerode.ContainerCreateOptions
export type EngineVersion = Dockerode.DockerVersion

export interface EngineInfo {
  readonly Containers?: number
  readonly ContainersRunning?: number
  readonly Images?: number
  readonly Driver?: string
  readonly KernelVersion?: string
  readonly DockerRootDir?: string
  /** The log driver a container gets when it names none. */
  readonly LoggingDriver?: string
  readonly DefaultRuntime?: string
  readonly CgroupVersion?: string
}

export interface ContainerQuery {
  /** Stopped containers too (the engine's default lists running ones only). */
  readonly all?: boolean
  /** `key` or `key=value` label filters, all of which must match. */
  readonly labels?: readonly string[]
  readonly status?: readonly string[]
  readonly signal?: AbortSignal
}

/** A container's output, split into its two streams whatever its TTY setting. */
export interface LogStreams {
  readonly stdout: Readable
  readonly stderr: Readable
  /** Ends both streams and lets go of the engine connection. */
  close(): void
}

/** Everything that only reads: lists, inspects, stats, logs. Nothing here changes the engine. */
export interface EngineInspector {
  ping(): Promise<void>
  version(): Promise<EngineVersion>
  info(): Promise<EngineInfo>
  listContainers(query?: ContainerQuery): Promise<ContainerListing[]>
  /** null: no such container. */
  inspectContainer(id: string): Promise<ContainerDetails | null>
  /** null: no such image on the host. */
  inspectImage(ref: string): Promise<ImageDetails | null>
  listImages(): Promise<ImageListing[]>
  /** null: no such volume. */
  inspectVolume(name: string): Promise<VolumeDetails | null>
  /** null: no such network. */
  inspectNetwork(nameOrId: string): Promise<NetworkDetails | null>
  /** Networks carrying every one of these `key=value` labels. */
  listNetworks(labels: readonly string[]): Promise<NetworkDetails[]>
  /** One stats reading, without waiting for a second one. */
  stats(id: string, signal: AbortSignal): Promise<unknown>
  /** The container's logs from `tail` lines back, followed until closed. */
  followLogs(id: string, tail: number): Promise<LogStreams>
}

/** Marks Slipway's helper containers (its value: the installation that made it): never a workload's, never adoptable. */
export const HELPER_LABEL = 'io.slipway.helper'
/** The run of that installation (one per start) that made the helper. */
export const HELPER_RUN_LABEL = 'io.slipway.helper.run'

/**
 * Who makes helpers: one Slipway installation (its data dir), in one run. A leftover sweep removes
 * only its own installation's helpers that are not in use, so two Slipways working on one engine
 * (a desktop and the dev-web harness, two desktops on one server) never remove each other's.
 */
export interface HelperOwner {
  readonly installation: string
  readonly run: string
}

export interface HelperMount {
  readonly kind: 'bind' | 'volume'
  readonly source: string
  readonly target: string
  readonly readOnly: boolean
}

export interface ScriptResult {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/** A never-started helper: the engine reads its mounted volumes as root through the archive API. */
export interface ArchiveReader {
  /** An uncompressed tar of `path` inside the helper. */
  read(path: string): Promise<Readable>
}

/**
 * A throw-away copy of a workload's container: its image, environment, user and command, with
 * only the given mounts and no network, labelled as a helper (a sweep removes it after a crash).
 */
export interface CopySpec {
  readonly image: string
  readonly env: readonly string[]
  readonly user: string
  readonly workingDir: string
  readonly entrypoint: readonly string[] | null
  readonly cmd: readonly string[] | null
  readonly stopSignal: string | null
  readonly mounts: readonly HelperMount[]
}

export interface RunningCopy {
  readonly id: string
  /** null while it runs; its exit code once it has ended. */
  exitCode(): Promise<number | null>
  /** Its own stop signal, SIGKILL after `timeoutS`; resolves to its exit code. */
  stop(timeoutS: number): Promise<number>
  /** The last lines of its output (for the log only: it may name the app's data). */
  logTail(lines: number): Promise<string>
}

/** One running root helper for a whole job: each step is an exec (tens of ms), not a container. */
export interface HelperSession {
  run(script: string, args: readonly string[]): Promise<ScriptResult>
  /**
   * Extracts `tar` at `path`. The engine extracts into one container at a time, so uploads on
   * different lanes (0 to lanes - 1) go to different containers and run side by side.
   */
  putArchive(tar: Readable, path: string, signal: AbortSignal, lane?: number): Promise<void>
}

/**
 * Helper containers: labelled, network-less, never a workload's. They read and write volumes as
 * root for capture and restore, and are always removed; a crash's leftovers are swept.
 */
export interface HelperContainers {
  withReader<T>(image: string, mounts: readonly HelperMount[], work: (reader: ArchiveReader) => Promise<T>): Promise<T>
  /** A helper that idles while `work` runs its steps as execs, plus `lanes - 1` upload lanes. */
  withSession<T>(
    image: string,
    mounts: readonly HelperMount[],
    lanes: number,
    work: (session: HelperSession) => Promise<T>,
  ): Promise<T>
  /** A short POSIX shell script as root in a throw-away helper (the image needs /bin/sh). */
  runScript(
    image: string,
    mounts: readonly HelperMount[],
    script: string,
    args?: readonly string[],
  ): Promise<ScriptResult>
  /** Starts a copy of a workload's container for `work`, and always removes it after. */
  withCopy<T>(spec: CopySpec, work: (copy: RunningCopy) => Promise<T>): Promise<T>
  /** Removes helpers a crash left behind; ones this process is using are kept. */
  removeLeftovers(): Promise<number>
  /**
   * Whether this user may create containers, tried for real with one that is created from `image`
   * and removed at once, never started.
   */
  canCreate(image: string): Promise<boolean>
}

export interface ExecRequest {
  readonly containerId: string
  /** Run as `/bin/sh -c command` (the image needs /bin/sh), as the container's own user. */
  readonly command: string
  /** Then TERM to the command and everything it started, KILL a few seconds later. */
  readonly timeoutMs: number
  /** Only the last this many bytes of stdout and stderr (interleaved) are kept. */
  readonly maxOutputBytes: number
  readonly signal?: AbortSignal
}

export interface ExecOutcome {
  /** null: the command was cut off and never reported one. */
  readonly exitCode: number | null
  readonly timedOut: boolean
  readonly cancelled: boolean
  readonly output: string
  readonly truncated: boolean
}

/** Commands inside a workload's running containers (capture hooks): output kept, always bounded in time. */
export interface ContainerExec {
  run(request: ExecRequest): Promise<ExecOutcome>
}

/** A host's engine as the roles any module may hold. */
export interface EngineRoles {
  readonly inspector: EngineInspector
  readonly helpers: HelperContainers
  readonly exec: ContainerExec
}

/** A host's engine roles by host id; UNAVAILABLE at once while its link is down. */
export type EngineFor = (hostId: string) => EngineRoles
