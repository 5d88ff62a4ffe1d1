# Relaxable GOT loads: R_X86_64_GOTPCRELX and R_X86_64_REX_GOTPCRELX
# (assembled with -Wa,-mrelax-relocations=yes). A linker may rewrite these
# instructions; the results must not change.
	.text
	.globl	gotx_mov, gotx_mov_stdout, gotx_call, gotx_jmp, gotx_jmp_labs, gotx_add, gotx_movl
gotx_mov:				# char *gotx_mov(void) = target_data
	movq	target_data@GOTPCREL(%rip), %rax	# R_X86_64_REX_GOTPCRELX
	ret
gotx_mov_stdout:			# FILE *gotx_mov_stdout(void) = stdout
	movq	stdout@GOTPCREL(%rip), %rax		# R_X86_64_REX_GOTPCRELX (libc data)
	movq	(%rax), %rax
	ret
gotx_call:				# int gotx_call(int x) = target_fn(x)
	subq	$8, %rsp
	call	*target_fn@GOTPCREL(%rip)		# R_X86_64_GOTPCRELX
	addq	$8, %rsp
	ret
gotx_jmp:				# int gotx_jmp(int x) = target_fn(x)
	jmp	*target_fn@GOTPCREL(%rip)		# R_X86_64_GOTPCRELX
gotx_jmp_labs:				# long gotx_jmp_labs(long x) = labs(x)
	jmp	*labs@GOTPCREL(%rip)			# R_X86_64_GOTPCRELX (libc function)
gotx_add:				# char *gotx_add(long n) = target_data + n
	movq	%rdi, %rax
	addq	target_data@GOTPCREL(%rip), %rax	# R_X86_64_REX_GOTPCRELX (binop)
	ret
gotx_movl:				# unsigned gotx_movl(void) = (unsigned)target_data
	movl	target_data@GOTPCREL(%rip), %eax	# R_X86_64_GOTPCRELX (no REX)
	ret
	.section	.note.GNU-stack,"",@progbits
