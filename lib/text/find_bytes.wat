;; Byte-string search with 128-bit SIMD, for kit's literal prefilters (lib/text/find_bytes.ts).
;;
;; Build: deno run -A lib/text/build_wasm.ts (writes lib/text/_find_bytes_wasm.ts).
;;
;; The caller writes the needle at `needle` followed by a mask of the same length whose bytes
;; are 0x20 where case is ignored (an ASCII letter, stored lower-case) and 0 elsewhere: a
;; haystack byte b matches needle byte c when (b | mask) == c.
(module
  (memory (export "memory") 1)

  ;; Whether the n bytes at `at` match the needle (with its mask right after it).
  (func $matches (param $at i32) (param $needle i32) (param $n i32) (result i32)
    (local $j i32)
    (block $differ
      (loop $next
        (if (i32.ge_u (local.get $j) (local.get $n)) (then (return (i32.const 1))))
        (br_if $differ
          (i32.ne
            (i32.or
              (i32.load8_u (i32.add (local.get $at) (local.get $j)))
              (i32.load8_u (i32.add (i32.add (local.get $needle) (local.get $n)) (local.get $j))))
            (i32.load8_u (i32.add (local.get $needle) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $next)))
    (i32.const 0))

  ;; The first start in [from, to - n] where the needle of n bytes occurs in [from, to), or -1.
  ;; Candidates are the positions where both needle bytes i1 and i2 match, 16 at a time.
  (func (export "find")
    (param $from i32) (param $to i32) (param $needle i32) (param $n i32)
    (param $i1 i32) (param $i2 i32) (result i32)
    (local $last i32) (local $p i32) (local $mask i32) (local $cand i32)
    (local $b1 v128) (local $f1 v128) (local $b2 v128) (local $f2 v128)
    (local.set $last (i32.sub (local.get $to) (local.get $n)))
    (if (i32.lt_s (local.get $last) (local.get $from)) (then (return (i32.const -1))))
    (local.set $b1 (i8x16.splat (i32.load8_u (i32.add (local.get $needle) (local.get $i1)))))
    (local.set $f1 (i8x16.splat
      (i32.load8_u (i32.add (i32.add (local.get $needle) (local.get $n)) (local.get $i1)))))
    (local.set $b2 (i8x16.splat (i32.load8_u (i32.add (local.get $needle) (local.get $i2)))))
    (local.set $f2 (i8x16.splat
      (i32.load8_u (i32.add (i32.add (local.get $needle) (local.get $n)) (local.get $i2)))))
    (local.set $p (local.get $from))
    ;; 16 candidates per round while p + 15 <= last: the loads end before `to`.
    (block $vdone
      (loop $vector
        (br_if $vdone (i32.gt_s (i32.add (local.get $p) (i32.const 15)) (local.get $last)))
        (local.set $mask (i8x16.bitmask (v128.and
          (i8x16.eq
            (v128.or (v128.load (i32.add (local.get $p) (local.get $i1))) (local.get $f1))
            (local.get $b1))
          (i8x16.eq
            (v128.or (v128.load (i32.add (local.get $p) (local.get $i2))) (local.get $f2))
            (local.get $b2)))))
        (block $mdone
          (loop $candidates
            (br_if $mdone (i32.eqz (local.get $mask)))
            (local.set $cand (i32.add (local.get $p) (i32.ctz (local.get $mask))))
            (if (call $matches (local.get $cand) (local.get $needle) (local.get $n))
              (then (return (local.get $cand))))
            (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
            (br $candidates)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $vector)))
    ;; The last few candidates one at a time.
    (block $sdone
      (loop $scalar
        (br_if $sdone (i32.gt_s (local.get $p) (local.get $last)))
        (if (call $matches (local.get $p) (local.get $needle) (local.get $n))
          (then (return (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $scalar)))
    (i32.const -1))
)
