# Sourced by the bin/ scripts before they start a JVM that multiplies matrices through OpenBLAS (netlib JNI).
#
# OpenBLAS chooses its kernels by CPU model (OPENBLAS_VERBOSE=2 prints the choice as "Core: ..."). Debian
# bookworm's OpenBLAS 0.3.21 does not know recent models (this machine's VM reports family 6 model 207) and
# then falls back to its Prescott (SSE3) kernels: sgemm 512×784·784×256 on one thread ran 4.6x slower here
# (31 GFLOP/s against 142 with the SkylakeX kernels, the same run), and every dense and conv layer with it.
# Unless OPENBLAS_CORETYPE is set already, it is set from the CPU's own feature flags to the kernel family
# made for them: SkylakeX (AVX-512 F/BW/DQ/VL) or Haswell (AVX2 and FMA). Elsewhere OpenBLAS chooses.
if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ -r /proc/cpuinfo ]; then
  dendrite_cpu_flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
  dendrite_has() {
    local f
    for f in "$@"; do
      case "$dendrite_cpu_flags" in *" $f "*) ;; *) return 1 ;; esac
    done
  }
  if dendrite_has avx512f avx512bw avx512dq avx512vl; then
    export OPENBLAS_CORETYPE=SkylakeX
  elif dendrite_has avx2 fma; then
    export OPENBLAS_CORETYPE=Haswell
  fi
  unset -f dendrite_has
  unset dendrite_cpu_flags
fi
