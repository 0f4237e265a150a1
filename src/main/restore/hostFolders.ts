import type Dockerode from 'dockerode'
import type { Readable } from 'node:stream'
import { AppError } from '../errors'
import { runHelperScript, type HelperMount } from '../snapshots/helperContainer'
import { withHelperSession, type HelperSession } from '../snapshots/helperSession'
import { hostJournalName, type RestoreTarget } from './restorePlan'

export interface TargetState {
  readonly index: number
  readonly device: string
  readonly freeBytes: number
  readonly live: 'dir' | 'missing' | 'other' | 'mountpoint'
  readonly staging: boolean
  readonly old: boolean
}

const mountOf = (t: RestoreTarget): HelperMount => ({
  kind: 'bind',
  source: t.parent,
  target: `/h/${t.index}`,
  readOnly: false,
})

/** POSIX sh, run as root in the helper, given index, live, staging and old names per target. */
const PROBE = `
while [ $# -ge 4 ]; do
  # ./ first: a name may start with a dash, which stat would take for an option.
  i=$1; base="./$2"; staging="./$3"; old="./$4"; shift 4
  cd "/h/$i" || exit 9
  pdev=$(stat -c %d .)
  if [ -L "$base" ]; then live=other
  elif [ -d "$base" ]; then
    if [ "$(stat -c %d "$base")" = "$pdev" ]; then live=dir; else live=mountpoint; fi
  elif [ -e "$base" ]; then live=other
  else live=missing; fi
  s=0; [ -e "$staging" ] && s=1
  o=0; [ -e "$old" ] && o=1
  free=$(df -Pk . | tail -1 | awk '{print $4}')
  echo "$i $pdev $free $live $s $o"
done
`

/** A name as one shell word, whatever it holds: folder names come from the workload's config. */
const quoted = (name: string): string => `'${name.replaceAll("'", `'\\''`)}'`

/** The target's folder names relative to its parent, as shell words no command takes for an option. */
const names = (t: RestoreTarget): { base: string; staging: string; old: string } => ({
  base: `./${quoted(t.base)}`,
  staging: `./${quoted(t.staging)}`,
  old: `./${quoted(t.old)}`,
})

/**
 * Folder operations on the host, done as root by a helper container with the targets' parent
 * folders mounted: one helper per operation, or inside `withSession` one kept running for all of
 * them. Every change is followed by a sync before it is relied on.
 */
export class HostFolders {
  private session: HelperSession | null = null

  constructor(
    private readonly docker: Dockerode,
    private readonly image: string,
    private readonly targets: readonly RestoreTarget[],
  ) {}

  /**
   * Runs `work` with one helper kept running for every folder operation inside it, and `lanes`
   * upload lanes for staging (see stage).
   */
  async withSession<T>(lanes: number, work: () => Promise<T>): Promise<T> {
    return withHelperSession(
      this.docker,
      this.image,
      this.targets.map(mountOf),
      async (session) => {
        this.session = session
        try {
          return await work()
        } finally {
          this.session = null
        }
      },
      lanes,
    )
  }

  private async run(script: string, args: readonly string[], targets = this.targets): Promise<string> {
    const result =
      this.session !== null
        ? await this.session.run(script, args)
        : await runHelperScript(this.docker, this.image, targets.map(mountOf), script, args)
    if (result.exitCode !== 0) {
      throw new AppError('INTERNAL', 'host folder operation failed', {
        details: { reason: result.stdout.trim().split('\n').at(-1) ?? '' },
        cause: new Error(`exit ${result.exitCode}: ${result.stderr.trim()}`),
      })
    }
    return result.stdout
  }

  async probe(): Promise<TargetState[]> {
    const out = await this.run(
      PROBE,
      this.targets.flatMap((t) => [String(t.index), t.base, t.staging, t.old]),
    )
    return out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [index, device, freeKb, live, staging, old] = line.split(' ')
        return {
          index: Number(index),
          device: device ?? '',
          freeBytes: Number(freeKb) * 1024,
          live: (live ?? 'other') as TargetState['live'],
          staging: staging === '1',
          old: old === '1',
        }
      })
  }

  /**
   * Writes the journal beside every target (atomically: temp file, sync, rename, sync), with
   * `before` run first and `after` run once it is durable, all in one helper run.
   */
  async writeJournal(
    restoreId: string,
    content: string,
    scripts: { before?: string; after?: string } = {},
  ): Promise<void> {
    const name = hostJournalName(restoreId)
    const encoded = Buffer.from(content).toString('base64')
    const parents = [...new Set(this.targets.map((t) => t.index))]
    await this.run(
      `set -e
${scripts.before ?? ''}
for i in ${parents.join(' ')}; do
  printf '%s' "$1" | base64 -d > "/h/$i/${name}.tmp"
  sync
  mv -f "/h/$i/${name}.tmp" "/h/$i/${name}"
done
sync
${scripts.after ?? ''}`,
      [encoded],
    )
  }

  async removeJournal(restoreId: string): Promise<void> {
    const name = hostJournalName(restoreId)
    await this.run(`for i in ${this.targets.map((t) => t.index).join(' ')}; do rm -f "/h/$i/${name}"; done; sync`, [])
  }

  /** Journals the stage step and makes the empty staging folders (owner-only while filled), in one run. */
  async beginStaging(restoreId: string, content: string): Promise<void> {
    const mkdirs = this.targets.map((t) => `mkdir -m 0700 "/h/${t.index}/"${quoted(t.staging)}`)
    await this.writeJournal(restoreId, content, { after: `${mkdirs.join('\n')}\nsync` })
  }

  /**
   * Inside withSession: extracts clean tar streams into the target's staging folder (made by
   * beginStaging): the shards side by side, one upload lane each (the engine creates files faster
   * from two streams than from one), then `last`.
   */
  async stage(
    target: RestoreTarget,
    tars: { shards: readonly Readable[]; last: Readable },
    failed: (error: unknown) => void,
  ): Promise<void> {
    const path = `/h/${target.index}/${target.staging}`
    // Told at once, so the other lanes are stopped: they would wait forever for a producer stuck
    // on the failed lane's full buffer.
    const put = (tar: Readable, lane: number): Promise<void> =>
      this.put(path, tar, lane).catch((error: unknown) => {
        failed(error)
        throw error
      })
    // Every upload ends before this does: cleaning up while the engine still extracts would race it.
    const settled = await Promise.allSettled(tars.shards.map(put))
    const failure = settled.find((r) => r.status === 'rejected')
    if (failure !== undefined) throw failure.reason
    await put(tars.last, 0)
  }

  private async put(path: string, tar: Readable, lane: number): Promise<void> {
    // Lanes are the session's containers: staging is only ever done inside withSession.
    const session = this.session
    if (session === null) throw new Error('staging needs a helper session')
    // The engine would wait forever for the rest of a stream that failed (an archive refused
    // part-way): abort the upload when the stream closes without ending.
    const upload = new AbortController()
    const onClose = (): void => {
      if (!tar.readableEnded) upload.abort(tar.errored ?? new Error('the archive stream failed'))
    }
    tar.once('close', onClose)
    try {
      if (tar.destroyed) onClose()
      upload.signal.throwIfAborted()
      await session.putArchive(tar, path, upload.signal, lane)
    } finally {
      tar.off('close', onClose)
    }
  }

  /**
   * Gives every staging folder its volume root's attributes and makes all staged data durable,
   * then journals the next step (in the same run): nothing is swapped in before this.
   */
  async sealStaging(restoreId: string, content: string): Promise<void> {
    const attrs = this.targets.map((t) => {
      const d = `"/h/${t.index}/"${quoted(t.staging)}`
      const root = t.root
      if (root === null) return ''
      return `chown ${root.uid}:${root.gid} ${d}; chmod ${(root.mode & 0o7777).toString(8)} ${d}; touch -d @${Math.floor(root.mtime / 1000)} ${d}`
    })
    await this.writeJournal(restoreId, content, { before: `${attrs.join('\n')}\nsync` })
  }

  /**
   * live → old, staging → live, by rename in one folder (never a copy): refused when the two
   * are not on one filesystem. The journal line is written first, in the same helper run.
   */
  async swap(target: RestoreTarget, journal: { restoreId: string; content: string }): Promise<void> {
    const { base, staging, old } = names(target)
    await this.writeJournal(journal.restoreId, journal.content, {
      after: `cd "/h/${target.index}"
[ "$(stat -c %d ${base})" = "$(stat -c %d ${staging})" ] || { echo cross_device; exit 18; }
[ "$(stat -c %d .)" = "$(stat -c %d ${base})" ] || { echo cross_device; exit 18; }
mv -- ${base} ${old}
mv -- ${staging} ${base}
sync`,
    })
  }

  /** Undoes a swap: the restored folder goes back to staging and the old one back to live. */
  async unswap(target: RestoreTarget): Promise<void> {
    const { base, staging, old } = names(target)
    await this.run(
      `set -e; cd "/h/${target.index}"
if [ -d ${old} ]; then
  if [ -e ${base} ]; then mv -- ${base} ${staging}; fi
  mv -- ${old} ${base}
fi
sync`,
      [],
      [target],
    )
  }

  /** Completes a swap cut in the middle (live renamed aside, restored one not yet in place). */
  async finishSwap(target: RestoreTarget): Promise<void> {
    const { base, staging, old } = names(target)
    await this.run(
      `set -e; cd "/h/${target.index}"
if [ ! -e ${base} ] && [ -d ${staging} ]; then mv -- ${staging} ${base}; fi
if [ -d ${staging} ] && [ -d ${base} ] && [ ! -e ${old} ]; then
  mv -- ${base} ${old}; mv -- ${staging} ${base}
fi
sync`,
      [],
      [target],
    )
  }

  async remove(target: RestoreTarget, which: 'staging' | 'old'): Promise<void> {
    const name = which === 'staging' ? target.staging : target.old
    // rm's own status: a folder still being written to may not be removed at once.
    await this.run(`rm -rf -- "/h/${target.index}/$1"; r=$?; sync; exit $r`, [name], [target])
  }

  /** Names in the targets' parent folders (to find Slipway's own leftovers). */
  async list(): Promise<Map<number, string[]>> {
    const out = await this.run(
      `for i in ${this.targets.map((t) => t.index).join(' ')}; do for f in /h/$i/.* /h/$i/*; do if [ -e "$f" ]; then echo "$i \${f#/h/$i/}"; fi; done; done`,
      [],
    )
    const names = new Map<number, string[]>()
    for (const line of out.split('\n').filter(Boolean)) {
      const space = line.indexOf(' ')
      const index = Number(line.slice(0, space))
      names.set(index, [...(names.get(index) ?? []), line.slice(space + 1)])
    }
    return names
  }

  async readJournal(index: number, name: string): Promise<string> {
    return this.run(
      `cat -- "/h/${index}/$1"`,
      [name],
      this.targets.filter((t) => t.index === index),
    )
  }

  async removeName(index: number, name: string): Promise<void> {
    await this.run(
      `rm -rf -- "/h/${index}/$1"; sync`,
      [name],
      this.targets.filter((t) => t.index === index),
    )
  }
}
