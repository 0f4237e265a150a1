import type { Readable } from 'node:stream'
import type { Restic } from './resticProcess'

/** One restic snapshot, as `snapshots --json` lists it. */
export interface ResticSnapshot {
  readonly id: string
  readonly shortId: string
  readonly time: string
  readonly tags: readonly string[]
  readonly paths: readonly string[]
}

export interface BackupProgress {
  readonly bytesDone: number
  readonly secondsElapsed: number
}

/** The restic commands Slipway uses, typed; every failure is a typed store error (resticErrors). */
export class ResticRepository {
  constructor(readonly restic: Restic) {}

  async init(): Promise<void> {
    await this.restic.text(['init'])
  }

  /** Fails unless a repository is there and the password opens it. */
  async open(): Promise<void> {
    await this.restic.text(['cat', 'config'])
  }

  /** Backs up a stream as one file; resolves to the new snapshot's id. */
  async backupStdin(
    source: AsyncIterable<Buffer> | Readable,
    filename: string,
    tags: readonly string[],
    options: { signal?: AbortSignal; onProgress?: (progress: BackupProgress) => void } = {},
  ): Promise<string> {
    const summary: { id: string | null } = { id: null }
    await this.restic.lines(
      ['backup', '--stdin', '--stdin-filename', filename, '--host', 'slipway', ...tags.flatMap((t) => ['--tag', t])],
      {
        stdin: source,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        onJson: (message) => {
          if (message['message_type'] === 'summary' && typeof message['snapshot_id'] === 'string') {
            summary.id = message['snapshot_id']
          } else if (message['message_type'] === 'status') {
            options.onProgress?.({
              bytesDone: Number(message['bytes_done'] ?? 0),
              secondsElapsed: Number(message['seconds_elapsed'] ?? 0),
            })
          }
        },
      },
    )
    if (summary.id === null) throw new Error('restic backup printed no summary')
    return summary.id
  }

  async snapshots(tags: readonly string[] = []): Promise<ResticSnapshot[]> {
    const listed = await this.restic.json<
      { id: string; short_id: string; time: string; tags?: string[]; paths?: string[] }[] | null
    >(['snapshots', ...(tags.length === 0 ? [] : ['--tag', tags.join(',')])])
    return (listed ?? []).map((s) => ({
      id: s.id,
      shortId: s.short_id,
      time: s.time,
      tags: s.tags ?? [],
      paths: s.paths ?? [],
    }))
  }

  /** One backed-up file's bytes; the stream fails if restic does. */
  dump(snapshotId: string, filename: string, signal?: AbortSignal): Readable {
    return this.restic.stream(['dump', snapshotId, `/${filename}`], signal)
  }

  async forget(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.restic.text(['forget', ...ids])
  }

  async prune(): Promise<void> {
    await this.restic.text(['prune'])
  }

  async tag(ids: readonly string[], change: { add?: readonly string[]; remove?: readonly string[] }): Promise<void> {
    if (ids.length === 0) return
    await this.restic.text([
      'tag',
      ...(change.add ?? []).flatMap((t) => ['--add', t]),
      ...(change.remove ?? []).flatMap((t) => ['--remove', t]),
      ...ids,
    ])
  }

  /** `restic check`, reading back the given share of the pack data. */
  async check(readDataPercent: number): Promise<void> {
    await this.restic.text(['check', ...(readDataPercent > 0 ? [`--read-data-subset=${readDataPercent}%`] : [])])
  }

  async stats(): Promise<{ storedBytes: number; restoreBytes: number; snapshots: number }> {
    const raw = await this.restic.json<{ total_size: number; snapshots_count?: number }>([
      'stats',
      '--mode',
      'raw-data',
    ])
    const restore = await this.restic.json<{ total_size: number }>(['stats', '--mode', 'restore-size'])
    return { storedBytes: raw.total_size, restoreBytes: restore.total_size, snapshots: raw.snapshots_count ?? 0 }
  }

  /** Removes stale locks only (restic's own rule); `all` also removes live ones, on the user's word. */
  async unlock(all: boolean): Promise<void> {
    await this.restic.text(['unlock', ...(all ? ['--remove-all'] : [])])
  }
}
