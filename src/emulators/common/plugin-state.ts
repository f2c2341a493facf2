/**
 * What a started plugin holds: its on-disk store, loaded from the plugin's own folder, and the
 * context it was started with. Using a plugin before `start()` is a bug, reported by its name.
 */
import type { PluginContext } from '../plugin.ts';

export interface LoadableStore {
  load(): Promise<void>;
}

export class PluginState<Store extends LoadableStore> {
  private current?: { readonly store: Store; readonly ctx: PluginContext };

  constructor(
    private readonly name: string,
    private readonly open: (dataDir: string) => Store,
  ) {}

  async start(ctx: PluginContext): Promise<void> {
    const store = this.open(ctx.dataDir);
    await store.load();
    this.current = { store, ctx };
  }

  stop(): void {
    this.current = undefined;
  }

  /** The store, or undefined before start / after stop (for lookups that may run then). */
  get store(): Store | undefined {
    return this.current?.store;
  }

  /** The store and context; throws when the plugin is not started. */
  running(): { readonly store: Store; readonly ctx: PluginContext } {
    if (!this.current) throw new Error(`${this.name} emulator is not started`);
    return this.current;
  }
}
