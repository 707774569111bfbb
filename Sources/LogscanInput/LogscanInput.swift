// LogscanInput: every byte logscan reads, from wherever it is.
//
// Owns: files, standard input, directories and archives (libarchive, streaming, never extracted
// to disk), decompression and transcoding to UTF-8 (`LogDecoder`), line reading with limits
// (`LineReader`), bundle planning (which inputs belong to which Mac), following growing and
// rotated files, the layout of collected bundles (`CollectionManifest`, `PlistState`), and the
// one function that escapes text for a terminal (`TerminalText`).
// Must not: know about rules, formats of log lines, or causes.
