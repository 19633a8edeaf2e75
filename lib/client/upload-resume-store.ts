// Unfinished uploads survive a page reload through localStorage. A browser never
// gives the page a file back by itself, so an entry only says "this file was being
// uploaded as upload X"; the admin picks the same file again and the fingerprint
// (name, size, last modified) matches it to the entry.

/** The part of `Storage` the store uses, so tests can pass a Map-backed fake. */
export type KeyValueStorage = Pick<
  Storage,
  "getItem" | "setItem" | "removeItem" | "key" | "length"
>;

/** What is remembered about an unfinished upload. */
export interface ResumeEntry {
  fingerprint: string;
  uploadId: string;
  fileName: string;
  size: number;
  lastModified: number;
  title: string;
  description: string;
  /** ms since epoch */
  savedAt: number;
}

const PREFIX = "reelgate.upload.";

export function fileFingerprint(file: { name: string; size: number; lastModified: number }) {
  return `${file.name}|${file.size}|${file.lastModified}`;
}

export class ResumeStore {
  constructor(private readonly storage: KeyValueStorage | null) {}

  get(fingerprint: string): ResumeEntry | null {
    const raw = this.safe(() => this.storage?.getItem(PREFIX + fingerprint) ?? null);
    return raw ? parseEntry(raw) : null;
  }

  save(entry: ResumeEntry): void {
    this.safe(() => this.storage?.setItem(PREFIX + entry.fingerprint, JSON.stringify(entry)));
  }

  remove(fingerprint: string): void {
    this.safe(() => this.storage?.removeItem(PREFIX + fingerprint));
  }

  /** Every remembered upload, oldest first. */
  list(): ResumeEntry[] {
    const storage = this.storage;
    if (!storage) return [];
    const keys: string[] = [];
    this.safe(() => {
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i);
        if (key?.startsWith(PREFIX)) keys.push(key);
      }
    });
    return keys
      .map((k) => this.safe(() => storage.getItem(k)))
      .map((raw) => (raw ? parseEntry(raw) : null))
      .filter((e): e is ResumeEntry => e !== null)
      .sort((a, b) => a.savedAt - b.savedAt);
  }

  // Storage throws in private mode or when full; resume is a convenience, never a
  // reason for an upload to fail.
  private safe<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch {
      return undefined;
    }
  }
}

function parseEntry(raw: string): ResumeEntry | null {
  try {
    const v = JSON.parse(raw) as Partial<ResumeEntry>;
    if (
      typeof v.fingerprint !== "string" ||
      typeof v.uploadId !== "string" ||
      typeof v.fileName !== "string" ||
      typeof v.size !== "number" ||
      typeof v.lastModified !== "number"
    ) {
      return null;
    }
    return {
      fingerprint: v.fingerprint,
      uploadId: v.uploadId,
      fileName: v.fileName,
      size: v.size,
      lastModified: v.lastModified,
      title: typeof v.title === "string" ? v.title : "",
      description: typeof v.description === "string" ? v.description : "",
      savedAt: typeof v.savedAt === "number" ? v.savedAt : 0,
    };
  } catch {
    return null;
  }
}
