// The PostgreSQL error behind a Prisma 7 error (with @prisma/adapter-pg), or null. A failed
// statement arrives as PrismaClientKnownRequestError P2039 with the database's error in
// meta.driverAdapterError.cause; a failed COMMIT (a deferred constraint) arrives as the adapter's
// own DriverAdapterError. Neither carries the constraint as a field: it is read from the message.
export function databaseError(error) {
  const cause = error?.meta?.driverAdapterError?.cause ?? (error?.name === "DriverAdapterError" ? error.cause : undefined);
  if (!cause?.originalCode) return null;
  const constraint = /constraint "([^"]+)"/.exec(cause.originalMessage ?? "")?.[1] ?? null;
  return { code: cause.originalCode, constraint, message: cause.originalMessage };
}
