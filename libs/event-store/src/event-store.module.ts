// Nest wiring: provides the EventStore port (and the relay checkpoints) under injection tokens, closed at shutdown.

import { DynamicModule, Inject, Injectable, InjectionToken, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { createEventStore, EventStoreOptions, openEventStore } from './create-event-store';
import { SqlDatabase } from '@engine/database';
import { SqlEventStore } from './sql-event-store';

/** Injects the `EventStore` port. */
export const EVENT_STORE = Symbol('EVENT_STORE');
/** Injects the `CheckpointStore` kept in the same database (for the outbox relay). */
export const RELAY_CHECKPOINT_STORE = Symbol('RELAY_CHECKPOINT_STORE');
/** Injects the `SqlChainAnchorLog` kept in the same database (for the outbox relay's anchors). */
export const CHAIN_ANCHOR_LOG = Symbol('CHAIN_ANCHOR_LOG');

export interface EventStoreModuleAsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: never[]) => EventStoreOptions | Promise<EventStoreOptions>;
  global?: boolean;
}

const OPTIONS = Symbol('EVENT_STORE_OPTIONS');

@Injectable()
class EventStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: SqlEventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

const sharedProviders: Provider[] = [
  { provide: EVENT_STORE, inject: [OPTIONS], useFactory: (options: EventStoreOptions) => createEventStore(options) },
  { provide: RELAY_CHECKPOINT_STORE, inject: [EVENT_STORE], useFactory: (store: SqlEventStore) => store.checkpointStore() },
  { provide: CHAIN_ANCHOR_LOG, inject: [EVENT_STORE], useFactory: (store: SqlEventStore) => store.chainAnchorLog() },
  EventStoreCloser,
];

@Module({})
export class EventStoreModule {
  static forRoot(options: EventStoreOptions & { global?: boolean } = {}): DynamicModule {
    const { global, ...storeOptions } = options;
    return {
      module: EventStoreModule,
      global: global ?? false,
      providers: [{ provide: OPTIONS, useValue: storeOptions }, ...sharedProviders],
      exports: [EVENT_STORE, RELAY_CHECKPOINT_STORE, CHAIN_ANCHOR_LOG],
    };
  }

  /** The store in a database the application opened and shares (it stays open when the module shuts down). */
  static forDatabase(database: SqlDatabase, options: { schema?: string; global?: boolean } = {}): DynamicModule {
    return {
      module: EventStoreModule,
      global: options.global ?? false,
      providers: [
        { provide: EVENT_STORE, useFactory: () => openEventStore(database, { schema: options.schema }) },
        { provide: RELAY_CHECKPOINT_STORE, inject: [EVENT_STORE], useFactory: (store: SqlEventStore) => store.checkpointStore() },
        { provide: CHAIN_ANCHOR_LOG, inject: [EVENT_STORE], useFactory: (store: SqlEventStore) => store.chainAnchorLog() },
      ],
      exports: [EVENT_STORE, RELAY_CHECKPOINT_STORE, CHAIN_ANCHOR_LOG],
    };
  }

  /** For options from configuration, e.g. `inject: [ConfigService]`. */
  static forRootAsync(options: EventStoreModuleAsyncOptions): DynamicModule {
    return {
      module: EventStoreModule,
      global: options.global ?? false,
      imports: options.imports ?? [],
      providers: [{ provide: OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory }, ...sharedProviders],
      exports: [EVENT_STORE, RELAY_CHECKPOINT_STORE, CHAIN_ANCHOR_LOG],
    };
  }
}
