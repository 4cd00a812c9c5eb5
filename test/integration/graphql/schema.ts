/** The graphql 17 schema shared by the graphql integration tests and the checker's library tests. */
import { getActiveSpan } from '@sentry/core';

/** The `graphql` module, imported lazily (graphql 17 needs Node 22+). */
export type GraphqlModule = typeof import('graphql');

/**
 * The schema the graphql tests run: `hello` (sync), `user(id)` (async, returns the span active in
 * its resolver as `parentSpan`), `fail` (throws a RangeError), mutation `setName(name)` and
 * subscription `ticks` (two events).
 */
export async function makeSchema(g: GraphqlModule) {
  const User = new g.GraphQLObjectType({
    name: 'User',
    fields: { id: { type: g.GraphQLID }, name: { type: g.GraphQLString } },
  });

  return new g.GraphQLSchema({
    query: new g.GraphQLObjectType({
      name: 'Query',
      fields: {
        hello: { type: g.GraphQLString, resolve: () => 'world' },
        user: {
          type: User,
          args: { id: { type: g.GraphQLID } },
          resolve: async (_src, args: { id: string }) => {
            await new Promise((r) => setImmediate(r));
            return { id: args.id, name: `user-${args.id}`, parentSpan: getActiveSpan() };
          },
        },
        fail: {
          type: g.GraphQLString,
          resolve: () => {
            throw new RangeError('resolver broke');
          },
        },
      },
    }),
    mutation: new g.GraphQLObjectType({
      name: 'Mutation',
      fields: {
        setName: {
          type: g.GraphQLString,
          args: { name: { type: g.GraphQLString } },
          resolve: (_src, args: { name: string }) => args.name,
        },
      },
    }),
    subscription: new g.GraphQLObjectType({
      name: 'Subscription',
      fields: {
        ticks: {
          type: g.GraphQLInt,
          subscribe: async function* () {
            yield { ticks: 1 };
            yield { ticks: 2 };
          },
        },
      },
    }),
  });
}
