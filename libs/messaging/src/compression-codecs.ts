import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import snappyCodec from 'kafkajs-snappy';
import { compress as lz4Compress, decompress as lz4Decompress } from 'lz4js';
import { ZstdCodec, type ZstdStreaming } from 'zstd-codec';

let zstd: Promise<ZstdStreaming> | undefined;

/** The zstd module is 2 MB of WebAssembly: loaded the first time a zstd batch comes, not by every process. */
function zstdStreaming(): Promise<ZstdStreaming> {
  zstd ??= new Promise((resolve) => ZstdCodec.run((binding) => resolve(new binding.Streaming())));
  return zstd;
}

const lz4Codec = () => ({
  compress: async (encoder: { buffer: Buffer }) => Buffer.from(lz4Compress(encoder.buffer)),
  decompress: async (buffer: Buffer) => Buffer.from(lz4Decompress(buffer)),
});

const zstdCodec = () => ({
  compress: async (encoder: { buffer: Buffer }) =>
    Buffer.from((await zstdStreaming()).compress(encoder.buffer)),
  async decompress(buffer: Buffer) {
    const plain = (await zstdStreaming()).decompress(buffer);
    if (!plain) throw new Error('a zstd-compressed record batch could not be decompressed');
    return Buffer.from(plain);
  },
});

/**
 * kafkajs reads only gzip by itself. A record batch compressed with Snappy, LZ4 or zstd (by an upstream
 * system's Java or librdkafka producer, or by a topic's `compression.type`) fails the whole fetch: the
 * consumer would stop on it, and start again only to stop on it again, every topic of its group with it,
 * and the record could not even be dead-lettered. These codecs are plain JavaScript and WebAssembly, so an
 * install compiles nothing. Registering is global to the process's kafkajs, and idempotent.
 */
export function registerCompressionCodecs(): void {
  CompressionCodecs[CompressionTypes.Snappy] = snappyCodec;
  CompressionCodecs[CompressionTypes.LZ4] = lz4Codec;
  CompressionCodecs[CompressionTypes.ZSTD] = zstdCodec;
}
