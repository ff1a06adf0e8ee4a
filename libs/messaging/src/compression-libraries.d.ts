// The codec libraries kafkajs is given ship no types; what compression-codecs.ts uses of them.
declare module 'kafkajs-snappy' {
  const codec: () => {
    compress(encoder: { buffer: Buffer }): Promise<Buffer>;
    decompress(buffer: Buffer): Promise<Buffer>;
  };
  export default codec;
}

declare module 'lz4js' {
  /** An LZ4 frame, as Kafka writes them. */
  export function compress(data: Uint8Array): Uint8Array;
  export function decompress(frame: Uint8Array): Uint8Array;
}

declare module 'zstd-codec' {
  export interface ZstdStreaming {
    compress(data: Uint8Array, level?: number): Uint8Array;
    /** Null when the input is not a whole zstd frame. */
    decompress(frame: Uint8Array): Uint8Array | null;
  }
  export const ZstdCodec: { run(onReady: (binding: { Streaming: new () => ZstdStreaming }) => void): void };
}
