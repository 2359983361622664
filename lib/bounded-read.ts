/**
 * Reading an input file whose path comes from configuration, so that no path can hang or
 * exhaust the process: only a regular file is read (a FIFO would block the read forever, a
 * device such as /dev/zero never ends), and never more than its size limit plus one byte.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "fs";

/** Why a file was not read, in words that complete "<file>: cannot read ...: <reason>". */
export class UnreadableFile extends Error {
  /** `code`: the system error of opening the file (ENOENT...), when that is what failed. */
  constructor(
    readonly reason: string,
    readonly code?: string,
  ) {
    super(reason);
    this.name = "UnreadableFile";
  }
}

const CHUNK_BYTES = 64 * 1024;

/** `1 MB`, `5 MB`, or bytes when smaller. */
function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes} bytes`;
}

/**
 * The file's text (UTF-8), or an UnreadableFile saying why not: it does not exist, is not a
 * regular file, is not readable, or holds more than `limitBytes` bytes.
 */
export function readRegularFile(file: string, limitBytes: number): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    throw new UnreadableFile(openFailure(failure), failure.code);
  }
  try {
    const kind = notRegular(fstatSync(fd));
    if (kind) throw new UnreadableFile(`is ${kind}, not a regular file`);
    const text = readAtMost(fd, limitBytes);
    if (text === undefined) throw new UnreadableFile(`is larger than ${formatSize(limitBytes)}`);
    return text;
  } finally {
    closeSync(fd);
  }
}

function openFailure(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "is a directory, not a regular file";
    case "EACCES":
    case "EPERM":
      return "not readable (permission denied)";
    default:
      return error.message;
  }
}

function notRegular(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isSocket()) return "a socket";
  return "not a file";
}

/** Reads up to `limitBytes + 1` bytes; undefined when there were more than `limitBytes`. */
function readAtMost(fd: number, limitBytes: number): string | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total <= limitBytes) {
    const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, limitBytes + 1 - total));
    const read = readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    total += read;
  }
  return total > limitBytes ? undefined : Buffer.concat(chunks, total).toString("utf8");
}
