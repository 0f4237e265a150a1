import { randomUUID } from 'node:crypto'
import type { HelperOwner } from '../../src/main/docker/engine'

/** A helper owner of its own for a test that opens an engine directly (not through an instance). */
export function testHelperOwner(): HelperOwner {
  return { installation: randomUUID(), run: randomUUID() }
}
