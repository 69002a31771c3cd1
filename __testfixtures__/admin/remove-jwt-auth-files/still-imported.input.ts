export type Credentials = {
  username: string;
  password: string;
};

export type LoginMutateResult = {
  login: {
    username: string;
    accessToken: string;
  };
};

export type JsonPrimitive = string | number | boolean;
export type JsonObject = { [key: string]: JsonValue };
export type JsonArray = JsonValue[];
export type JsonValue = JsonPrimitive | JsonObject | JsonArray | null;

export type InputJsonValue = Exclude<JsonValue, null>;
