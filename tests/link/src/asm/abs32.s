# 32-bit absolute relocations, only valid in a non-PIE link (the program is
# built with -fno-pie and the reference linked with -no-pie).
	.text
	.globl	abs32_code, abs32s_code, abs32s_index, abs32_call
abs32_code:				# unsigned abs32_code(void) = (unsigned)target_data
	movl	$target_data, %eax			# R_X86_64_32
	ret
abs32s_code:				# char *abs32s_code(void) = target_data
	movq	$target_data, %rax			# R_X86_64_32S
	ret
abs32s_index:				# int abs32s_index(long i) = target_data[i]
	movzbl	target_data(%rdi), %eax			# R_X86_64_32S (displacement)
	ret
abs32_call:				# int abs32_call(int x) = target_fn(x)
	movl	$target_fn, %eax			# R_X86_64_32
	jmp	*%rax
	.data
	.balign	4
	.globl	abs32_site, abs32_addend_site, abs32s_site, abs16_site, abs8_site
abs32_site:		.long	target_data		# R_X86_64_32
abs32_addend_site:	.long	target_data + 3		# R_X86_64_32, addend 3
abs32s_site:	.reloc	., R_X86_64_32S, target_data + 2	# R_X86_64_32S, addend 2
		.long	0
# ld accepts R_X86_64_16 and R_X86_64_8 only in non-PIE links.
abs16_site:		.word	abs16_value		# R_X86_64_16 (absolute symbol)
abs8_site:		.byte	abs8_value		# R_X86_64_8 (absolute symbol)
	.section	.note.GNU-stack,"",@progbits
