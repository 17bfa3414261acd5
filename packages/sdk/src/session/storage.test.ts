import { afterEach, describe, expect, it } from 'vitest';
import { localStorageStorage, memoryStorage } from './storage.js';

class MapStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

const original = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
afterEach(() => {
  if (original) Object.defineProperty(globalThis, 'localStorage', original);
  else delete (globalThis as { localStorage?: unknown }).localStorage;
});

describe('refresh-token storage', () => {
  it('keeps the token in memory by default', () => {
    const storage = memoryStorage();
    expect(storage.get()).toBeNull();
    storage.set('rt_1');
    expect(storage.get()).toBe('rt_1');
    storage.remove();
    expect(storage.get()).toBeNull();
  });

  it('uses localStorage under its key when opted in', () => {
    const fake = new MapStorage();
    Object.defineProperty(globalThis, 'localStorage', { value: fake, configurable: true });
    const storage = localStorageStorage('memberkit.refresh_token.pk_1');
    storage.set('rt_2');
    expect(fake.items.get('memberkit.refresh_token.pk_1')).toBe('rt_2');
    expect(storage.get()).toBe('rt_2');
    storage.remove();
    expect(fake.items.size).toBe(0);
  });

  it('does nothing, without throwing, where localStorage is blocked', () => {
    Object.defineProperty(globalThis, 'localStorage', {
      get() {
        throw new DOMException('denied', 'SecurityError');
      },
      configurable: true,
    });
    const storage = localStorageStorage('k');
    expect(() => storage.set('rt_3')).not.toThrow();
    expect(storage.get()).toBeNull();
  });
});
