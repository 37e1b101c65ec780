;; One AdamW update over n float32 elements held in this module's memory (torch.optim.AdamW's form, as
;; src/runtime/host-adamw.ts documents it): four arrays p, g, m, v at the byte offsets given, updated in place.
;;   m <- b1*m + (1-b1)*g ;  v <- b2*v + (1-b2)*g*g ;  p <- p*decay - step*m / (sqrt(v) + eps)
;; Four lanes at a time (f32x4), then a scalar tail. Build: node scripts/build-adamw-wasm.mjs
(module
  (memory (export "memory") 4)
  (func (export "adamw")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $decay f32) (param $b1 f32) (param $omb1 f32) (param $b2 f32) (param $omb2 f32)
    (param $step f32) (param $eps f32)
    (local $i i32) (local $end i32) (local $gi v128) (local $mi v128) (local $vi v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local $kdecay v128) (local $kb1 v128) (local $komb1 v128) (local $kb2 v128) (local $komb2 v128)
    (local $kstep v128) (local $keps v128)
    (local.set $kdecay (f32x4.splat (local.get $decay)))
    (local.set $kb1 (f32x4.splat (local.get $b1)))
    (local.set $komb1 (f32x4.splat (local.get $omb1)))
    (local.set $kb2 (f32x4.splat (local.get $b2)))
    (local.set $komb2 (f32x4.splat (local.get $omb2)))
    (local.set $kstep (f32x4.splat (local.get $step)))
    (local.set $keps (f32x4.splat (local.get $eps)))
    ;; byte end of the 4-lane part
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $lanes
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gi (v128.load (i32.add (local.get $g) (local.get $i))))
        (local.set $mi
          (f32x4.add
            (f32x4.mul (local.get $kb1) (v128.load (i32.add (local.get $m) (local.get $i))))
            (f32x4.mul (local.get $komb1) (local.get $gi))))
        (local.set $vi
          (f32x4.add
            (f32x4.mul (local.get $kb2) (v128.load (i32.add (local.get $v) (local.get $i))))
            (f32x4.mul (f32x4.mul (local.get $komb2) (local.get $gi)) (local.get $gi))))
        (v128.store (i32.add (local.get $m) (local.get $i)) (local.get $mi))
        (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $vi))
        (v128.store (i32.add (local.get $p) (local.get $i))
          (f32x4.sub
            (f32x4.mul (v128.load (i32.add (local.get $p) (local.get $i))) (local.get $kdecay))
            (f32x4.div
              (f32x4.mul (local.get $kstep) (local.get $mi))
              (f32x4.add (f32x4.sqrt (local.get $vi)) (local.get $keps)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $lanes)))
    ;; scalar tail
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $i))))
        (local.set $ms
          (f32.add
            (f32.mul (local.get $b1) (f32.load (i32.add (local.get $m) (local.get $i))))
            (f32.mul (local.get $omb1) (local.get $gs))))
        (local.set $vs
          (f32.add
            (f32.mul (local.get $b2) (f32.load (i32.add (local.get $v) (local.get $i))))
            (f32.mul (f32.mul (local.get $omb2) (local.get $gs)) (local.get $gs))))
        (f32.store (i32.add (local.get $m) (local.get $i)) (local.get $ms))
        (f32.store (i32.add (local.get $v) (local.get $i)) (local.get $vs))
        (f32.store (i32.add (local.get $p) (local.get $i))
          (f32.sub
            (f32.mul (f32.load (i32.add (local.get $p) (local.get $i))) (local.get $decay))
            (f32.div
              (f32.mul (local.get $step) (local.get $ms))
              (f32.add (f32.sqrt (local.get $vs)) (local.get $eps)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tail)))))
