# Plain, non-relaxable R_X86_64_GOTPCREL (assembled with
# -Wa,-mrelax-relocations=no).
	.text
	.globl	gotpcrel_mov, gotpcrel_call
gotpcrel_mov:				# char *gotpcrel_mov(void) = target_data
	movq	target_data@GOTPCREL(%rip), %rax	# R_X86_64_GOTPCREL
	ret
gotpcrel_call:				# int gotpcrel_call(int x) = target_fn(x)
	jmp	*target_fn@GOTPCREL(%rip)		# R_X86_64_GOTPCREL
	.section	.note.GNU-stack,"",@progbits
