export enum EnumSecretsNameKey {}
