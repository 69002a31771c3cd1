import { Credentials } from "./types";
import { CREDENTIALS_LOCAL_STORAGE_ITEM } from "./constants";

type AuthListener = (authenticated: boolean) => void;

const listeners: AuthListener[] = [];

function notify(): void {
  const authenticated = isAuthenticated();
  listeners.forEach((listener) => listener(authenticated));
}

export function isAuthenticated(): boolean {
  return Boolean(getCredentials());
}

export function listen(listener: AuthListener): void {
  listeners.push(listener);
}

export function setCredentials(credentials: Credentials): void {
  localStorage.setItem(
    CREDENTIALS_LOCAL_STORAGE_ITEM,
    JSON.stringify(credentials),
  );
  notify();
}

export function getCredentials(): Credentials | null {
  const raw = localStorage.getItem(CREDENTIALS_LOCAL_STORAGE_ITEM);
  if (raw === null) {
    return null;
  }
  return JSON.parse(raw);
}

export function removeCredentials(): void {
  localStorage.removeItem(CREDENTIALS_LOCAL_STORAGE_ITEM);
  notify();
}
