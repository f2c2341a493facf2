/** A customer account as the private API returns it. */
export interface Customer {
  customerId: string;
  name: string;
  email: string;
}

/** The part of `pg.Client` (and PGlite) this service uses. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface CustomerStore {
  find(customerId: string): Promise<Customer | undefined>;
}

export const CUSTOMERS_SCHEMA = `CREATE TABLE IF NOT EXISTS customers (
  customer_id text PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)`;

interface CustomerRow {
  customer_id: string;
  name: string;
  email: string;
}

/** Customers in PostgreSQL. The table is created on first use (idempotent). */
export function sqlCustomerStore(connect: () => Promise<Queryable>): CustomerStore {
  let ready: Promise<Queryable> | undefined;
  const database = () => {
    ready ??= connect().then(async (db) => {
      await db.query(CUSTOMERS_SCHEMA);
      return db;
    });
    ready.catch(() => (ready = undefined));
    return ready;
  };
  return {
    async find(customerId) {
      const db = await database();
      try {
        const { rows } = await db.query(
          'SELECT customer_id, name, email FROM customers WHERE customer_id = $1',
          [customerId],
        );
        const row = rows[0] as CustomerRow | undefined;
        return row && { customerId: row.customer_id, name: row.name, email: row.email };
      } catch (error) {
        // The connection may be broken: reconnect on the next call.
        ready = undefined;
        throw error;
      }
    },
  };
}
