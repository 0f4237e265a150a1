import type Dockerode from 'dockerode'
import type { Readable } from 'node:stream'
import { AppError } from '../errors'
import { runHelperScript, withHelperContainer, type HelperMount } from '../snapshots/helperContainer'
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

/** POSIX sh, run as root in the helper: exits non-zero with a reason word on stdout when refused. */
const PROBE = `
for spec in "$@"; do
  i=\${spec%%:*}; rest=\${spec#*:}; base=\${rest%%:*}; rest=\${rest#*:}; staging=\${rest%%:*}; old=\${rest#*:}
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

/**
 * Folder operations on the host, each done by a short-lived root helper container with the
 * targets' parent folders mounted. Every change is followed by a sync before it is relied on.
 */
export class HostFolders {
  constructor(
    private readonly docker: Dockerode,
    private readonly image: string,
    private readonly targets: readonly RestoreTarget[],
  ) {}

  private async run(script: string, args: readonly string[], targets = this.targets): Promise<string> {
    const result = await runHelperScript(this.docker, this.image, targets.map(mountOf), script, args)
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
      this.targets.map((t) => `${t.index}:${t.base}:${t.staging}:${t.old}`),
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

  /** Writes the journal beside every target (atomically: temp file, sync, rename, sync). */
  async writeJournal(restoreId: string, content: string, then = ''): Promise<void> {
    const name = hostJournalName(restoreId)
    const encoded = Buffer.from(content).toString('base64')
    const parents = [...new Set(this.targets.map((t) => t.index))]
    await this.run(
      `set -e
for i in ${parents.join(' ')}; do
  printf '%s' "$1" | base64 -d > "/h/$i/${name}.tmp"
  sync
  mv -f "/h/$i/${name}.tmp" "/h/$i/${name}"
done
sync
${then}`,
      [encoded],
    )
  }

  async removeJournal(restoreId: string): Promise<void> {
    const name = hostJournalName(restoreId)
    await this.run(`for i in ${this.targets.map((t) => t.index).join(' ')}; do rm -f "/h/$i/${name}"; done; sync`, [])
  }

  /** Extracts a clean tar stream into the target's staging folder, then gives it the volume root's attributes. */
  async stage(target: RestoreTarget, tar: Readable): Promise<void> {
    await this.run(`set -e; mkdir -m 0700 "/h/${target.index}/$1"; sync`, [target.staging], [target])
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
      await withHelperContainer(this.docker, this.image, [mountOf(target)], async (helper) => {
        await helper.putArchive(tar, { path: `/h/${target.index}/${target.staging}`, abortSignal: upload.signal })
      })
    } finally {
      tar.off('close', onClose)
    }
    const root = target.root
    const attrs =
      root === null
        ? ''
        : `chown ${root.uid}:${root.gid} "$d"; chmod ${(root.mode & 0o7777).toString(8)} "$d"; touch -d @${Math.floor(root.mtime / 1000)} "$d";`
    await this.run(`set -e; d="/h/${target.index}/$1"; ${attrs} sync`, [target.staging], [target])
  }

  /**
   * live → old, staging → live, by rename in one folder (never a copy): refused when the two
   * are not on one filesystem. The journal line is written first, in the same helper run.
   */
  async swap(target: RestoreTarget, journal: { restoreId: string; content: string }): Promise<void> {
    await this.writeJournal(
      journal.restoreId,
      journal.content,
      `cd "/h/${target.index}"
[ "$(stat -c %d "${target.base}")" = "$(stat -c %d "${target.staging}")" ] || { echo cross_device; exit 18; }
[ "$(stat -c %d .)" = "$(stat -c %d "${target.base}")" ] || { echo cross_device; exit 18; }
mv -- "${target.base}" "${target.old}"
mv -- "${target.staging}" "${target.base}"
sync`,
    )
  }

  /** Undoes a swap: the restored folder goes back to staging and the old one back to live. */
  async unswap(target: RestoreTarget): Promise<void> {
    await this.run(
      `set -e; cd "/h/${target.index}"
if [ -d "${target.old}" ]; then
  if [ -e "${target.base}" ]; then mv -- "${target.base}" "${target.staging}"; fi
  mv -- "${target.old}" "${target.base}"
fi
sync`,
      [],
      [target],
    )
  }

  /** Completes a swap cut in the middle (live renamed aside, restored one not yet in place). */
  async finishSwap(target: RestoreTarget): Promise<void> {
    await this.run(
      `set -e; cd "/h/${target.index}"
if [ ! -e "${target.base}" ] && [ -d "${target.staging}" ]; then mv -- "${target.staging}" "${target.base}"; fi
if [ -d "${target.staging}" ] && [ -d "${target.base}" ] && [ ! -e "${target.old}" ]; then
  mv -- "${target.base}" "${target.old}"; mv -- "${target.staging}" "${target.base}"
fi
sync`,
      [],
      [target],
    )
  }

  async remove(target: RestoreTarget, which: 'staging' | 'old'): Promise<void> {
    const name = which === 'staging' ? target.staging : target.old
    await this.run(`rm -rf -- "/h/${target.index}/$1"; sync`, [name], [target])
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
