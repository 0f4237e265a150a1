/** Env names whose values Slipway keeps in the secret store whatever the user says (compose imports, adoption). */
const SECRET_NAME = /pass(word)?|secret|token|api_?key|private|credential/i

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name)
}
