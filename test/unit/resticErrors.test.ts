import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/main/errors'
import {
  classifyStderr,
  fromStore,
  lockHolder,
  storeError,
  storeFailureOf,
} from '../../src/main/stores/restic/resticErrors'

describe('restic failures, typed from what restic prints', () => {
  it.each([
    ['Fatal: wrong password or no key found\n', 'wrong_password'],
    [
      'unable to create lock in backend: repository is already locked exclusively by PID 4242 on vm by root (UID 0, GID 0)\nlock was created at 2026-12-04 17:16:56 (386ms ago)',
      'locked',
    ],
    [
      'Fatal: unable to open config file: stat /x/config: no such file or directory\nIs there a repository at the following location?\n/x',
      'not_a_repository',
    ],
    ['Fatal: create repository at /x failed: config file already exists', 'already_a_repository'],
    ['Save(<data/1234>) returned error, retrying: write /x/data/12/1234: no space left on device', 'no_space'],
    [
      'Fatal: unable to open repository at rest:http://127.0.0.1:1/: Get "http://127.0.0.1:1/config": dial tcp 127.0.0.1:1: connect: connection refused',
      'unreachable',
    ],
    [
      'subprocess ssh: ssh command exited: exit status 255\nunable to start the sftp session, error: EOF',
      'unreachable',
    ],
    ['something restic never said before', 'failed'],
  ])('%s → %s', (stderr, failure) => {
    expect(classifyStderr(stderr)).toBe(failure)
  })

  it('names the lock holder, and the error carries it for an explicit unlock', () => {
    const stderr =
      'repository is already locked exclusively by PID 4242 on vm by root (UID 0, GID 0)\nlock was created at 2026-12-04 17:16:56 (3.3s ago)'
    expect(lockHolder(stderr)).toEqual({ pid: 4242, host: 'vm', createdAt: '2026-12-04 17:16:56' })
    const error = storeError('locked', stderr)
    expect(error.code).toBe('BUSY')
    expect(error.details).toMatchObject({ reason: 'store_locked', lockPid: 4242, lockHost: 'vm' })
    expect(storeFailureOf(error)).toBe('locked')
    const named = fromStore(error, 'st-1') as AppError
    expect(named.details).toMatchObject({ reason: 'store_locked', storeId: 'st-1', lockPid: 4242 })
    // Anything else passes through unchanged.
    const other = new AppError('BUSY', 'x')
    expect(fromStore(other, 'st-1')).toBe(other)
  })
})
