// picomatch 4 ships no types; this is the one call we use (tinyglobby, which
// resolves the `files` input, matches with the same library and options).
declare module 'picomatch' {
  interface PicomatchOptions {
    dot?: boolean;
  }
  function picomatch(patterns: string | string[], options?: PicomatchOptions): (path: string) => boolean;
  export default picomatch;
}
