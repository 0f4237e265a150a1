import { testEnv } from './testEnv'

// Fail loudly before any test runs when the real engine and sshd are not there.
testEnv()
