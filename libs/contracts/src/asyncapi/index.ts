// Not re-exported from the library's root: it reads the TypeScript sources and pulls in the compiler.
export { buildAsyncApiDocument } from './build-asyncapi-document';
export { ASYNCAPI_FILE, renderAsyncApiYaml } from './render-asyncapi';
