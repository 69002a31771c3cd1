// Stand-in for ra-data-graphql-amplication@1.0.2, built on ra-data-graphql 5. See README.md.
import { gql } from "@apollo/client";
import {
  CREATE,
  DELETE,
  DELETE_MANY,
  GET_LIST,
  GET_MANY,
  GET_MANY_REFERENCE,
  GET_ONE,
  UPDATE,
  UPDATE_MANY,
} from "ra-core";
import buildDataProvider from "ra-data-graphql";

const lowerFirst = (name) => name.charAt(0).toLowerCase() + name.slice(1);

/** Amplication's plural: "User" -> "users", "Category" -> "categories", "Address" -> "addresses". */
function plural(name) {
  const word = lowerFirst(name);
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

const operationNames = {
  [GET_LIST]: (type) => plural(type.name),
  [GET_ONE]: (type) => lowerFirst(type.name),
  [GET_MANY]: (type) => plural(type.name),
  [GET_MANY_REFERENCE]: (type) => plural(type.name),
  [CREATE]: (type) => `create${type.name}`,
  [UPDATE]: (type) => `update${type.name}`,
  [DELETE]: (type) => `delete${type.name}`,
};

/** Unwraps NON_NULL and LIST wrappers. */
function finalType(typeRef) {
  let type = typeRef;
  while (type.ofType) type = type.ofType;
  return type;
}

/** The selection set of a resource: its scalar and enum fields, and `{ id }` of related objects. */
function selection(introspection, type) {
  return type.fields
    .map((field) => {
      const final = finalType(field.type);
      if (final.kind === "SCALAR" || final.kind === "ENUM") return field.name;
      const related = introspection.types.find((t) => t.name === final.name);
      const hasId = related?.fields?.some((f) => f.name === "id");
      return hasId ? `${field.name} { id }` : undefined;
    })
    .filter(Boolean)
    .join(" ");
}

/** Keeps only the fields that the input type (e.g. `UserUpdateInput`) declares. */
function pickInput(introspection, inputTypeName, data) {
  const input = introspection.types.find((t) => t.name === inputTypeName);
  if (!input?.inputFields) return data;
  const allowed = new Set(input.inputFields.map((f) => f.name));
  return Object.fromEntries(
    Object.entries(data ?? {}).filter(([key]) => allowed.has(key)),
  );
}

/** react-admin filters to an Amplication `where`: ids, exact values and `q` as a text search. */
function toWhere(filter = {}) {
  const where = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (key === "ids") where.id = { in: value };
    else if (key === "q") continue;
    else if (typeof value === "string") where[key] = { equals: value };
    else if (value && typeof value === "object") where[key] = value;
    else where[key] = { equals: value };
  }
  return where;
}

export const buildAmplicationQuery =
  (introspection) => (fetchType, resourceName, params) => {
    const resource = introspection.resources.find(
      (r) => r.type.name === resourceName,
    );
    if (!resource) {
      throw new Error(
        `Unknown resource ${resourceName}: no Amplication GraphQL type of that name`,
      );
    }
    const type = resource.type;
    const fields = selection(introspection, type);
    const name = operationNames[fetchType]?.(type);

    switch (fetchType) {
      case GET_LIST:
      case GET_MANY:
      case GET_MANY_REFERENCE: {
        let where;
        if (fetchType === GET_MANY) where = { id: { in: params.ids } };
        else if (fetchType === GET_MANY_REFERENCE)
          where = {
            ...toWhere(params.filter),
            [params.target]: { id: params.id },
          };
        else where = toWhere(params.filter);
        const variables = { where };
        if (params.pagination) {
          const { page, perPage } = params.pagination;
          variables.skip = (page - 1) * perPage;
          variables.take = perPage;
        }
        if (params.sort?.field) {
          variables.orderBy = [
            {
              [params.sort.field]: params.sort.order === "ASC" ? "asc" : "desc",
            },
          ];
        }
        const declarations = [
          `$where: ${type.name}WhereInput`,
          ...(variables.orderBy
            ? [`$orderBy: [${type.name}OrderByInput!]`]
            : []),
          ...(variables.skip !== undefined
            ? ["$skip: Float", "$take: Float"]
            : []),
        ];
        const args = declarations
          .map((d) => d.split(":")[0])
          .map((v) => `${v.slice(1)}: ${v}`);
        return {
          query: gql`query ${name}(${declarations.join(", ")}) {
          items: ${name}(${args.join(", ")}) { ${fields} }
          total: _${name}Meta(where: $where) { count }
        }`,
          variables,
          parseResponse: (response) => ({
            data: response.data.items,
            total: response.data.total.count,
          }),
        };
      }
      case GET_ONE:
        return {
          query: gql`query ${name}($id: String!) { data: ${name}(where: { id: $id }) { ${fields} } }`,
          variables: { id: String(params.id) },
          parseResponse: (response) => ({ data: response.data.data }),
        };
      case CREATE:
        return {
          query: gql`mutation ${name}($data: ${type.name}CreateInput!) {
          data: ${name}(data: $data) { ${fields} }
        }`,
          variables: {
            data: pickInput(
              introspection,
              `${type.name}CreateInput`,
              params.data,
            ),
          },
          parseResponse: (response) => ({ data: response.data.data }),
        };
      case UPDATE:
        return {
          query: gql`mutation ${name}($id: String!, $data: ${type.name}UpdateInput!) {
          data: ${name}(where: { id: $id }, data: $data) { ${fields} }
        }`,
          variables: {
            id: String(params.id),
            data: pickInput(
              introspection,
              `${type.name}UpdateInput`,
              params.data,
            ),
          },
          parseResponse: (response) => ({ data: response.data.data }),
        };
      case DELETE:
        return {
          query: gql`mutation ${name}($id: String!) { data: ${name}(where: { id: $id }) { ${fields} } }`,
          variables: { id: String(params.id) },
          parseResponse: (response) => ({ data: response.data.data }),
        };
      default:
        throw new Error(`${fetchType} is not supported by this data provider`);
    }
  };

export default function buildGraphQLProvider(options) {
  const { client, buildQuery = buildAmplicationQuery, ...rest } = options;
  const provider = buildDataProvider({
    ...rest,
    client,
    buildQuery,
    introspection:
      rest.introspection === false
        ? false
        : { operationNames, ...rest.introspection },
  });
  const unsupported = (fetchType) => () =>
    Promise.reject(
      new Error(`${fetchType} is not supported by this data provider`),
    );
  return {
    ...provider,
    deleteMany: unsupported(DELETE_MANY),
    updateMany: unsupported(UPDATE_MANY),
  };
}
