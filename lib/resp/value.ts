/**
 * The RESP value model: one tagged union for every RESP2 and RESP3 type.
 *
 * @module
 */

/** A key/value pair of a map or an attribute. */
export type RespPair = [RespValue, RespValue];

/**
 * A RESP value. Server code builds these and {@linkcode encode} writes them as RESP2 or RESP3;
 * the decoder returns them. `attributes` holds a RESP3 attribute (`|`) that preceded the value.
 */
export type RespValue =
  & (
    | { type: "simple"; value: string }
    | { type: "error"; value: string }
    | { type: "integer"; value: number | bigint }
    | { type: "bulk"; value: Uint8Array }
    | { type: "array"; value: RespValue[] }
    /** RESP3 `_`; in RESP2 `$-1`, or `*-1` when `array` is set. */
    | { type: "null"; array?: boolean }
    | { type: "boolean"; value: boolean }
    | { type: "double"; value: number }
    | { type: "bignum"; value: bigint }
    | { type: "bulkError"; value: string }
    /** `format` is three characters: `txt` or `mkd`. */
    | { type: "verbatim"; format: string; value: string }
    | { type: "map"; value: RespPair[] }
    | { type: "set"; value: RespValue[] }
    | { type: "push"; value: RespValue[] }
  )
  & { attributes?: RespPair[] };

/** The protocol version a connection speaks (`HELLO 2` or `HELLO 3`). */
export type RespProtocol = 2 | 3;
