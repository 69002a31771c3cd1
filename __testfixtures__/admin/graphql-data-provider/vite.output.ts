import buildGraphQLProvider from "ra-data-graphql-amplication";
import { ApolloClient, InMemoryCache, createHttpLink } from "@apollo/client";
import { setContext } from "@apollo/client/link/context";
import { auth0Client } from "../auth-provider/ra-auth-auth0";

const httpLink = createHttpLink({
  uri: `${import.meta.env.VITE_REACT_APP_SERVER_URL}/graphql`,
});

// eslint-disable-next-line @typescript-eslint/no-unused-vars
const authLink = setContext(async (_, { headers }) => {
  // Signed out there is no token: the request goes without one (the schema query the admin
  // makes as it opens needs none; the server refuses every other).
  const token = await auth0Client.getTokenSilently().catch(() => undefined);
  return {
    headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers,
  };
});

export const apolloClient = new ApolloClient({
  cache: new InMemoryCache(),
  link: authLink.concat(httpLink),
});

export default buildGraphQLProvider({
  client: apolloClient,
});
