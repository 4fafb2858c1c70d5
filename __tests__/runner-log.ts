/**
 * What the Actions runner would read as a command in a step's output: a line that starts with `::`
 * after trimming, or that holds `##[` anywhere (the legacy syntax). The runner splits lines at CR too.
 */
const OWN_COMMAND = /^::(?:error|warning|notice|debug|add-mask)(?: [^:]*)?::/;

/** Every line the runner would obey that is not one of the action's own annotations or masks. */
export function forgedCommands(output: string): string[] {
  return output.split(/\r\n|\r|\n/).filter((line) => {
    const trimmed = line.trim();
    if (trimmed.startsWith('::')) return !OWN_COMMAND.test(trimmed);
    return line.includes('##[');
  });
}

/** The values registered as masks, in order. */
export function masksOf(output: string): string[] {
  return output
    .split(/\r\n|\r|\n/)
    .filter((line) => line.startsWith('::add-mask::'))
    .map((line) => line.slice('::add-mask::'.length));
}
