/**
 * Folder operations on a host, done as root in one helper session with the parent folders of the
 * restore's targets mounted at /h/<n>. Each operation is a script value; `exec` runs several as
 * one exec, in order, stopping at the first that fails (a journal line and the rename it
 * announces travel together). Every name is passed as one quoted shell word, whatever it holds.
 */
import type { Readable } from 'node:stream'
import type { HelperContainers, HelperMount, HelperSession } from '../docker/engine'
import { AppError } from '../errors'
import type { AcceptedEntry } from '../snapshots/extract'
import { hostJournalName, type RestoreTarget } from './restorePlan'

/** Links per exec: a script stays far below the kernel's limit on arguments. */
const LINKS_PER_EXEC = 200

function linkBatches(links: readonly AcceptedEntry[]): AcceptedEntry[][] {
  const batches: AcceptedEntry[][] = []
  for (let i = 0; i < links.length; i += LINKS_PER_EXEC) batches.push(links.slice(i, i + LINKS_PER_EXEC))
  return batches
}

/** A POSIX sh fragment, run as root in the helper. */
export type Script = string & { readonly __script: true }

const script = (text: string): Script => text as Script

/** A value as one shell word, whatever it holds: folder names come from the workload's config. */
const quoted = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`

/** The distinct parent folders of a set of live folders, each mounted at /h/<its index>. */
export class ParentFolders {
  private readonly indexes = new Map<string, number>()

  constructor(paths: Iterable<string>) {
    for (const path of paths) if (!this.indexes.has(path)) this.indexes.set(path, this.indexes.size)
  }

  static of(targets: readonly RestoreTarget[]): ParentFolders {
    return new ParentFolders(targets.map((t) => t.parent))
  }

  /** The folder inside the helper where `parent` is mounted. */
  dir(parent: string): string {
    const index = this.indexes.get(parent)
    if (index === undefined) throw new Error('not one of the mounted parents')
    return `/h/${index}`
  }

  get paths(): string[] {
    return [...this.indexes.keys()]
  }

  mounts(): HelperMount[] {
    return this.paths.map((source) => ({ kind: 'bind', source, target: this.dir(source), readOnly: false }))
  }
}

export interface TargetState {
  readonly index: number
  readonly device: string
  readonly freeBytes: number
  readonly live: 'dir' | 'missing' | 'other' | 'mountpoint'
  readonly staging: boolean
  readonly old: boolean
}

/** Opens one helper session over `parents` for `work`, with `lanes` upload lanes for staging. */
export function withHostFolders<T>(
  helpers: HelperContainers,
  image: string,
  parents: ParentFolders,
  lanes: number,
  work: (host: HostFolders) => Promise<T>,
): Promise<T> {
  return helpers.withSession(image, parents.mounts(), lanes, (session) => work(new HostFolders(session, parents)))
}

export class HostFolders {
  constructor(
    private readonly session: HelperSession,
    readonly parents: ParentFolders,
  ) {}

  /** Runs the scripts as one exec, in order; the first one that fails fails the whole. */
  async exec(...scripts: readonly Script[]): Promise<string> {
    // Each in a subshell: its own `cd` and `set -e`, and its exit status decides. (Not `( … ) ||
    // exit`: on the left of || a shell ignores set -e inside.)
    const body = scripts.map((s) => `(\n${s}\n)\nr=$?; [ "$r" -eq 0 ] || exit "$r"`).join('\n')
    const result = await this.session.run(body, [])
    if (result.exitCode !== 0) {
      throw new AppError('INTERNAL', 'host folder operation failed', {
        details: { reason: result.stdout.trim().split('\n').at(-1) ?? '' },
        cause: new Error(`exit ${result.exitCode}: ${result.stderr.trim()}`),
      })
    }
    return result.stdout
  }

  async probe(targets: readonly RestoreTarget[]): Promise<TargetState[]> {
    const out = await this.exec(...targets.map((t) => this.probeOf(t)))
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
   * Extracts clean tar streams into the target's staging folder: the shards side by side, one
   * upload lane each (the engine creates files faster from two streams than from one), then `last`.
   */
  async stage(
    target: RestoreTarget,
    tars: { shards: readonly Readable[]; last: Readable },
    failed: (error: unknown) => void,
    outOfTree: () => readonly AcceptedEntry[],
  ): Promise<void> {
    const path = `${this.parents.dir(target.parent)}/${target.staging}`
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
    // Known once the shards have ended; made before the last stream sets the folders' times.
    try {
      for (const batch of linkBatches(outOfTree())) await this.exec(this.makeLinks(target, batch))
    } catch (error) {
      failed(error)
      throw error
    }
    await put(tars.last, 0)
  }

  /** Symlinks the engine's extractor refuses to make (relative ones that climb out), made as they were. */
  private makeLinks(t: RestoreTarget, links: readonly AcceptedEntry[]): Script {
    const lines = links.map((link) => {
      const path = `./${quoted(link.path)}`
      const parent = link.path.includes('/')
        ? `mkdir -p -- ./${quoted(link.path.slice(0, link.path.lastIndexOf('/')))}; `
        : ''
      return `${parent}ln -s -- ${quoted(link.linkTarget)} ${path}; chown -h ${link.uid}:${link.gid} ${path}; touch -h -d @${Math.floor(link.mtime)} ${path}`
    })
    return script(`set -e; cd "${this.parents.dir(t.parent)}/"${quoted(t.staging)}\n${lines.join('\n')}`)
  }

  /** Names in every mounted parent folder (to find Slipway's own leftovers), by parent path. */
  async list(): Promise<Map<string, string[]>> {
    const names = new Map<string, string[]>()
    for (const parent of this.parents.paths) {
      const dir = this.parents.dir(parent)
      const out = await this.exec(
        script(`for f in ${dir}/.* ${dir}/*; do if [ -e "$f" ]; then echo "\${f#${dir}/}"; fi; done`),
      )
      names.set(parent, out.split('\n').filter(Boolean))
    }
    return names
  }

  async readFile(parent: string, name: string): Promise<string> {
    return this.exec(script(`cat -- "${this.parents.dir(parent)}/"${quoted(name)}`))
  }

  // --- scripts ---------------------------------------------------------------------------------

  /** The journal beside every parent, atomically: temp file, sync, rename, sync. */
  journal(restoreId: string, content: string): Script {
    const name = hostJournalName(restoreId)
    const encoded = quoted(Buffer.from(content).toString('base64'))
    return script(`set -e
for d in ${this.parents.paths.map((p) => this.parents.dir(p)).join(' ')}; do
  printf '%s' ${encoded} | base64 -d > "$d/${name}.tmp"
  sync
  mv -f "$d/${name}.tmp" "$d/${name}"
done
sync`)
  }

  removeJournal(restoreId: string): Script {
    const name = hostJournalName(restoreId)
    return script(
      `for d in ${this.parents.paths.map((p) => this.parents.dir(p)).join(' ')}; do rm -f "$d/${name}"; done; sync`,
    )
  }

  /** The empty staging folder, owner-only while it is filled. */
  makeStaging(t: RestoreTarget): Script {
    return script(`set -e; cd "${this.parents.dir(t.parent)}"; mkdir -m 0700 -- ./${quoted(t.staging)}; sync`)
  }

  /** The staged folder gets its volume root's attributes, and all staged data is made durable. */
  sealStaging(t: RestoreTarget): Script {
    const d = `./${quoted(t.staging)}`
    const root = t.root
    const attrs =
      root === null
        ? ''
        : `chown ${root.uid}:${root.gid} ${d}; chmod ${(root.mode & 0o7777).toString(8)} ${d}; touch -d @${Math.floor(root.mtime / 1000)} ${d}`
    return script(`set -e; cd "${this.parents.dir(t.parent)}"\n${attrs}\nsync`)
  }

  /**
   * A staged volume made ready for loading its dump: the dump moved into its own folder beside it
   * (owned like the dump, so the database's user can read it), then the database's folder inside
   * the staged volume emptied, so that the image's own start-up makes a fresh database there.
   * `dataDir` is that folder relative to the volume's root ('' for the root itself).
   */
  prepareLoad(t: RestoreTarget, dumpFolder: string, file: string, dataDir: string): Script {
    const staged = `./${quoted(t.staging)}`
    const dump = `${staged}/${quoted(file)}`
    const folder = `./${quoted(dumpFolder)}`
    const empty =
      dataDir === '' ? `rm -rf -- ${staged}; mkdir -m 0700 -- ${staged}` : `rm -rf -- ${staged}/${quoted(dataDir)}`
    return script(`set -e; cd "${this.parents.dir(t.parent)}"
[ -f ${dump} ] && [ ! -L ${dump} ] || { echo dump_missing; exit 3; }
mkdir -m 0700 -- ${folder}
chown "$(stat -c %u:%g ${dump})" ${folder}
mv -- ${dump} ${folder}/dump
${empty}
sync`)
  }

  /** live → old, staging → live, by rename in one folder (never a copy): refused across filesystems. */
  swap(t: RestoreTarget): Script {
    const { base, staging, old } = this.names(t)
    return script(`set -e; cd "${this.parents.dir(t.parent)}"
[ "$(stat -c %d ${base})" = "$(stat -c %d ${staging})" ] || { echo cross_device; exit 18; }
[ "$(stat -c %d .)" = "$(stat -c %d ${base})" ] || { echo cross_device; exit 18; }
mv -- ${base} ${old}
mv -- ${staging} ${base}
sync`)
  }

  /** Undoes a swap, however far it got: the restored folder back to staging, the old one back to live. */
  unswap(t: RestoreTarget): Script {
    const { base, staging, old } = this.names(t)
    return script(`set -e; cd "${this.parents.dir(t.parent)}"
if [ -d ${old} ]; then
  if [ -e ${base} ]; then mv -- ${base} ${staging}; fi
  mv -- ${old} ${base}
fi
sync`)
  }

  /** Completes a swap cut in the middle (live renamed aside, restored one not yet in place). */
  finishSwap(t: RestoreTarget): Script {
    const { base, staging, old } = this.names(t)
    return script(`set -e; cd "${this.parents.dir(t.parent)}"
if [ ! -e ${base} ] && [ -d ${staging} ]; then mv -- ${staging} ${base}; fi
if [ -d ${staging} ] && [ -d ${base} ] && [ ! -e ${old} ]; then
  mv -- ${base} ${old}; mv -- ${staging} ${base}
fi
sync`)
  }

  /** Removes one of Slipway's own names in a parent folder; rm's own status counts (a folder still being written to may resist). */
  remove(parent: string, name: string): Script {
    return script(`rm -rf -- "${this.parents.dir(parent)}/"${quoted(name)}; r=$?; sync; exit $r`)
  }

  private probeOf(t: RestoreTarget): Script {
    // ./ first: a name may start with a dash, which stat would take for an option.
    const { base, staging, old } = this.names(t)
    return script(`cd "${this.parents.dir(t.parent)}" || exit 9
pdev=$(stat -c %d .)
if [ -L ${base} ]; then live=other
elif [ -d ${base} ]; then
  if [ "$(stat -c %d ${base})" = "$pdev" ]; then live=dir; else live=mountpoint; fi
elif [ -e ${base} ]; then live=other
else live=missing; fi
s=0; [ -e ${staging} ] && s=1
o=0; [ -e ${old} ] && o=1
free=$(df -Pk . | tail -1 | awk '{print $4}')
echo "${t.index} $pdev $free $live $s $o"`)
  }

  /** The target's folder names relative to its parent, as shell words no command takes for an option. */
  private names(t: RestoreTarget): { base: string; staging: string; old: string } {
    return { base: `./${quoted(t.base)}`, staging: `./${quoted(t.staging)}`, old: `./${quoted(t.old)}` }
  }

  private async put(path: string, tar: Readable, lane: number): Promise<void> {
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
      await this.session.putArchive(tar, path, upload.signal, lane)
    } finally {
      tar.off('close', onClose)
    }
  }
}
