import buildGraphQLProvider from "ra-data-graphql-amplication";
import { ApolloClient, InMemoryCache, createHttpLink } from "@apollo/client";

// edited by hand: the server sits behind a gateway that adds the credentials
export const apolloClient = new ApolloClient({
  cache: new InMemoryCache(),
  link: createHttpLink({ uri: "/graphql" }),
});

export default buildGraphQLProvider({ client: apolloClient });
