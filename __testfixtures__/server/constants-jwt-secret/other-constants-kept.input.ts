export const JWT_SECRET_KEY = "JWT_SECRET_KEY";
export const JWT_EXPIRATION = "JWT_EXPIRATION";
// added by hand
export const DEFAULT_PAGE_SIZE = 25;
