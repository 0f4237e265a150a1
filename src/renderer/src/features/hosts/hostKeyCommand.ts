/** What to run on the server to print its host key's fingerprint (a command: never translated). */
export const HOST_KEY_COMMAND = 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub'
