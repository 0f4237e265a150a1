import type { RejectRule } from './archiveRejected'

export type EntryKind = 'directory' | 'file' | 'symlink'

interface TreeNode {
  /** `implied`: a directory some entry's path passes through, with no entry of its own (yet). */
  kind: EntryKind | 'implied'
  children: Map<string, TreeNode> | undefined
  /** Symlinks: the target as the archive gave it. */
  target: string | undefined
  /** Regular files: whether the sink received it (false for files outside a selection). */
  written: boolean
}

/**
 * Names and link targets kept in memory for one archive. An archive whose entries would take more
 * is refused (`too_large`) rather than allowed to exhaust the main process.
 */
export const MAX_RETAINED_BYTES = 512 * 1024 * 1024

/**
 * Every path the archive has named so far, as a tree of segments: enough to refuse duplicates,
 * entries below a symlink or a file, and hardlinks to anything but a file seen earlier.
 */
export class EntryTree {
  private readonly root: TreeNode = { kind: 'implied', children: undefined, target: undefined, written: false }
  private retainedBytes = 0

  /** Records an entry at `path`, or returns the rule that refuses it. */
  add(path: readonly string[], kind: EntryKind, details: { target?: string; written: boolean }): RejectRule | null {
    if (path.length === 0) {
      if (kind !== 'directory') return 'empty_name'
      if (this.root.kind === 'directory') return 'duplicate_entry'
      this.root.kind = 'directory'
      return null
    }
    let parent = this.root
    for (const segment of path.slice(0, -1)) {
      let child = parent.children?.get(segment)
      if (child === undefined) {
        child = this.attach(parent, segment, 'implied')
      } else if (child.kind === 'symlink') {
        return 'through_symlink'
      } else if (child.kind === 'file') {
        return 'duplicate_entry'
      }
      parent = child
    }
    const name = path[path.length - 1] ?? ''
    const existing = parent.children?.get(name)
    if (existing !== undefined) {
      if (existing.kind !== 'implied' || kind !== 'directory') return 'duplicate_entry'
      existing.kind = 'directory'
      return null
    }
    const node = this.attach(parent, name, kind)
    node.written = details.written
    if (details.target !== undefined) {
      node.target = details.target
      this.retainedBytes += details.target.length
    }
    return this.retainedBytes > MAX_RETAINED_BYTES ? 'too_large' : null
  }

  /** The entry at `path`, reached through directories only; undefined if none (or not reachable). */
  find(path: readonly string[]): { readonly kind: EntryKind | 'implied'; readonly written: boolean } | undefined {
    return this.node(path)
  }

  private node(path: readonly string[]): TreeNode | undefined {
    let node: TreeNode | undefined = this.root
    for (const segment of path) {
      if (node.kind !== 'directory' && node.kind !== 'implied') return undefined
      node = node.children?.get(segment)
      if (node === undefined) return undefined
    }
    return node
  }

  private attach(parent: TreeNode, name: string, kind: TreeNode['kind']): TreeNode {
    const node: TreeNode = { kind, children: undefined, target: undefined, written: false }
    parent.children ??= new Map()
    parent.children.set(name, node)
    this.retainedBytes += name.length
    return node
  }
}
