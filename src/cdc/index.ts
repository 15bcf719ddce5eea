/**
 * `cortado/cdc`: cache invalidation from PostgreSQL's own log of committed changes (logical
 * replication, pgoutput). `pg` and `pg-logical-replication` are optional peer dependencies, loaded
 * only through this subpath.
 */
export { PostgresChangeFeed } from './feed.js'
export type { FeedReset, PostgresChangeFeedHooks } from './feed.js'
export type { PostgresChangeFeedOptions, TableOptions, RowKeys, Row } from './options.js'
export type { ChangeFeedStats } from './stats.js'
export type { Invalidation, InvalidationFunction, FeedTarget } from './target.js'
