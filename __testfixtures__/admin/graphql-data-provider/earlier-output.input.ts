import buildGraphQLProvider from "ra-data-graphql-amplication";
import { ApolloClient, InMemoryCache, createHttpLink } from "@apollo/client";
import { setContext } from "@apollo/client/link/context";
import { auth0Client } from "../auth-provider/ra-auth-auth0";

const httpLink = createHttpLink({
  uri: `${import.meta.env.VITE_REACT_APP_SERVER_URL}/graphql`,
});

// eslint-disable-next-line @typescript-eslint/no-unused-vars
const authLink = setContext(async (_, { headers }) => {
  const token = await auth0Client.getTokenSilently();
  return {
    headers: {
      ...headers,
      authorization: `Bearer ${token}`,
    },
  };
});

export const apolloClient = new ApolloClient({
  cache: new InMemoryCache(),
  link: authLink.concat(httpLink),
});

export default buildGraphQLProvider({
  client: apolloClient,
});
