/** IP addresses and prefixes as the engine takes them, checked without Node's `net` (src/shared runs in the page too). */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/

export function isIpv4(text: string): boolean {
  return IPV4.test(text)
}

export function isIpv6(text: string): boolean {
  if (text.length < 2 || text.length > 45) return false
  const halves = text.split('::')
  if (halves.length > 2) return false
  const groupsOf = (part: string): string[] => (part === '' ? [] : part.split(':'))
  const groups = [...groupsOf(halves[0] ?? ''), ...(halves.length === 2 ? groupsOf(halves[1] ?? '') : [])]
  let width = 0
  for (const [i, group] of groups.entries()) {
    if (i === groups.length - 1 && IPV4.test(group)) width += 2
    else if (HEX_GROUP.test(group)) width += 1
    else return false
  }
  return halves.length === 2 ? width < 8 : width === 8
}

export function isIp(text: string): boolean {
  return isIpv4(text) || isIpv6(text)
}

/** `address/prefix`, the prefix within the address family's width. */
export function isCidr(text: string): boolean {
  const slash = text.lastIndexOf('/')
  if (slash < 0) return false
  const address = text.slice(0, slash)
  const prefix = text.slice(slash + 1)
  if (!/^\d{1,3}$/.test(prefix)) return false
  const bits = Number(prefix)
  if (isIpv4(address)) return bits <= 32
  return isIpv6(address) && bits <= 128
}
