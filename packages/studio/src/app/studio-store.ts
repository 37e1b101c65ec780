/**
 * The studio's persistence: one IndexedDB object store of key → value (`choices`, `settings`, `weights`,
 * `history`), so that nothing is lost on a reload. Values are structured-cloned (`Uint8Array`s included).
 */
export class StudioStore {
  private constructor(private readonly db: IDBDatabase) {}

  /** Opens (creating on first use) the database `name`. */
  static open(name = 'rlhf-studio'): Promise<StudioStore> {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore('kv');
      request.onsuccess = () => resolve(new StudioStore(request.result));
      request.onerror = () => reject(new Error(`IndexedDB cannot be opened: ${request.error?.message}`));
    });
  }

  private run<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest): Promise<T> {
    return new Promise((resolve, reject) => {
      const request = act(this.db.transaction('kv', mode).objectStore('kv'));
      request.onsuccess = () => resolve(request.result as T);
      request.onerror = () => reject(new Error(`IndexedDB: ${request.error?.message}`));
    });
  }

  get<T>(key: string): Promise<T | undefined> {
    return this.run('readonly', (s) => s.get(key));
  }

  put(key: string, value: unknown): Promise<void> {
    return this.run('readwrite', (s) => s.put(value, key));
  }

  delete(key: string): Promise<void> {
    return this.run('readwrite', (s) => s.delete(key));
  }
}
