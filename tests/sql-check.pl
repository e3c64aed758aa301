#!/usr/bin/perl
# sql-check.pl — no SQL statement in casey is built from data.
#
#   perl tests/sql-check.pl [-v] src      (-v: every call and its verdict)
#
# Every call that compiles or runs SQL (sqlite3_prepare*, sqlite3_exec)
# must get its statement from
#   - string literals ("SELECT ..." "FROM ..."), or either branch of a
#     ?: between such;
#   - a static const array of them (static const char sql[] = "...";
#     static const char *const cs_migrations[] = { ... }), indexed or not;
#   - a parameter of a helper (exec(db, sql)), in which case every call of
#     the helper is checked the same way, argument for argument;
#   - or one of the places listed in @ALLOW below, each with the reason it
#     is safe: they build the text, but only from the code's own constants,
#     never from a value read from a file, the database or the user.
# Values always go in through sqlite3_bind_*. Anything else is listed as
# FILE:LINE: FUNCTION: CALL and the check fails.
use strict;
use warnings;

# FILE FUNCTION => why the SQL it builds cannot carry data.
my %ALLOW = (
	'src/core/import.c build_upsert' =>
		'the upsert of one kind: the table and column names come from the ' .
		'static kinds table (kinds.c), every value is a ?N parameter',
	'src/core/import.c drop_indexes' =>
		'DROP INDEX "<name>" of a plain index SQLite lists for a static kinds ' .
		'table, the name quoted with %w',
	'src/core/import.c recreate_indexes' =>
		'the CREATE INDEX statements SQLite stored for the indexes ' .
		'drop_indexes() dropped in the same transaction, run back unchanged',
	'src/core/import.c count_rows' =>
		'SELECT count(*) FROM <table>: the table name of a static kinds entry',
	'src/core/db.c pragma_set' =>
		'PRAGMA <name> = <n> (PRAGMAs take no parameters): every caller ' .
		'passes a literal name, and n is printed with %ld',
	'src/core/lists.c segment' =>
		'the customer list query: column and table names from the static ' .
		'orders table, every filter value a ?N parameter',
	'src/core/lists.c count_matches' =>
		'the customer list\'s capped count: the filters customer_filters() ' .
		'appends for segment() too, every filter value a ?N parameter',
);

# The calls that take SQL, and which argument (0-based) it is.
my %sink = (
	sqlite3_prepare => 1, sqlite3_prepare_v2 => 1, sqlite3_prepare_v3 => 1,
	sqlite3_prepare16 => 1, sqlite3_prepare16_v2 => 1, sqlite3_prepare16_v3 => 1,
	sqlite3_exec => 1,
);

my $verbose = @ARGV && $ARGV[0] eq '-v' ? shift @ARGV : 0;
my @dirs = @ARGV ? @ARGV : ('src');
my @files;
for my $d (@dirs) {
	open(my $fh, '-|', 'find', $d, '-name', '*.[ch]', '-type', 'f') or die "find: $!";
	chomp(my @f = <$fh>);
	push @files, sort @f;
}

my (%text, %funcs, %safe);
# static const char NAME[] = ...; static const char *const NAME[N] = { ... }
my $CONST_ARRAY = qr/\bstatic\s+const\s+char\s*(?:\*\s*const\s*)?(\w+)\s*\[\s*\w*\s*\]\s*=/;

# Comments and the contents of character constants become blanks, keeping
# offsets and line numbers; string literals are kept.
sub strip {
	my ($s) = @_;
	$s =~ s{
		( "(?:[^"\\\n]|\\.)*" ) | ( '(?:[^'\\\n]|\\.)*' ) | ( /\*.*?\*/ ) | ( //[^\n]* )
	}{
		defined $1 ? $1 : defined $2 ? "' '" . (' ' x (length($2) - 3))
		: do { my $c = defined $3 ? $3 : $4; $c =~ s/[^\n]/ /g; $c }
	}gsex;
	return $s;
}

for my $f (@files) {
	open(my $fh, '<', $f) or die "$f: $!";
	local $/;
	my $s = strip(<$fh>);
	$text{$f} = $s;
	# Function definitions (kernel style: the body's '{' follows the ')').
	while ($s =~ /^[A-Za-z_][\w \t\*]*?\b(\w+)\s*\(([^;{}]*?)\)\s*(?:__attribute__\s*\(\([^;{}]*?\)\)\s*)?\{/mgs) {
		my ($name, $params, $open, $from) = ($1, $2, $+[0] - 1, $-[0]);
		my $static = substr($s, $from, $open - $from) =~ /^static\b/ ? 1 : 0;
		next if $name =~ /^(if|for|while|switch|return|sizeof)$/;
		my $close = match_brace($s, $open);
		my @p = map { /\(\s*\*\s*(\w+)\s*\)/ ? $1 : /(\w+)\s*(?:\[[^\]]*\])?\s*$/ ? $1 : '' }
			split_args($params);
		push @{$funcs{$f}}, { name => $name, start => $open, end => $close, params => \@p,
				      file => $f, static => $static };
	}
	# File-scope static const arrays of literals (a header's count for all).
	while ($s =~ /$CONST_ARRAY/g) {
		my ($name, $at) = ($1, $-[0]);

		next if enclosing($f, $at);
		$safe{$f =~ /\.h$/ ? '' : $f}{$name} = 1;
	}
}

sub match_brace {
	my ($s, $i) = @_;
	my $depth = 0;
	pos($s) = $i;
	while ($s =~ /("(?:[^"\\]|\\.)*")|([{}])/g) {
		next if defined $1;
		$depth += $2 eq '{' ? 1 : -1;
		return pos($s) if $depth == 0;
	}
	return length $s;
}

# Split at top-level commas.
sub split_args {
	my ($s) = @_;
	my (@out, $cur, $depth);
	$cur = '';
	$depth = 0;
	while ($s =~ /\G("(?:[^"\\]|\\.)*"|[()\[\]{}]|,|[^"()\[\]{},]+)/gs) {
		my $t = $1;
		if ($t =~ /^[(\[{]$/) { $depth++ }
		elsif ($t =~ /^[)\]}]$/) { $depth-- }
		elsif ($t eq ',' && $depth == 0) { push @out, $cur; $cur = ''; next }
		$cur .= $t;
	}
	push @out, $cur if $cur =~ /\S/;
	return @out;
}

# The arguments of the call whose '(' is at offset $i.
sub call_args {
	my ($s, $i) = @_;
	my $depth = 0;
	pos($s) = $i;
	while ($s =~ /("(?:[^"\\]|\\.)*")|([()])/g) {
		next if defined $1;
		$depth += $2 eq '(' ? 1 : -1;
		return split_args(substr($s, $i + 1, pos($s) - $i - 2)) if $depth == 0;
	}
	return ();
}

sub enclosing {
	my ($f, $at) = @_;
	for my $fn (@{$funcs{$f} || []}) {
		return $fn if $at > $fn->{start} && $at < $fn->{end};
	}
	return undef;
}

sub trim { my ($e) = @_; $e =~ s/^\s+|\s+$//g; return $e }

# 'ok', ['param', index] or 'unsafe'.
sub classify {
	my ($e, $fn) = @_;
	$e = trim($e);
	$e = trim($1) while $e =~ /^\((.*)\)$/s && split_args($1) == 1 && $1 !~ /^\s*(const\s+)?char\s*\*\s*$/;
	$e =~ s/^\(\s*(?:const\s+)?char\s*\*\s*\)\s*//;
	return 'ok' if $e =~ /^(?:"(?:[^"\\]|\\.)*"\s*)+$/s;
	# (cond ? queries_a : queries_b)[i]: each array must be safe.
	return classify($1, $fn) if $e =~ /^\((.*)\)\s*\[[^\]]*\]$/s;
	if ($e =~ /^(.*?)\?(.*):(.*)$/s) {
		my ($a, $b) = (classify($2, $fn), classify($3, $fn));
		return $a if ref $a || $a ne 'ok';
		return $b;
	}
	if ($e =~ /^(\w+)\s*(?:\[[^\]]*\])?$/) {
		my $id = $1;
		my $body = substr($text{$fn->{file}}, $fn->{start}, $fn->{end} - $fn->{start});

		# A local of the function: safe only as a static const array.
		if ($body =~ /(?:[;{}]|^)\s*([^;{}]*\b\Q$id\E\s*(?:\[[^\]]*\])?\s*[=;])/s) {
			my $decl = $1;

			if ($decl =~ /\bchar\b/) {
				return 'ok' if $decl =~ /$CONST_ARRAY/ && $decl =~ /\b\Q$id\E\s*\[/;
				return 'unsafe' if $decl !~ /\bconst\s+char\s*\*\s*\Q$id\E\b/;
				# const char *sql: every value it is given must be safe.
				my $n = 0;
				while ($body =~ /(?<![=!<>])\b\Q$id\E\s*=(?!=)\s*([^;]*);/gs) {
					$n++;
					my $c = classify($1, $fn);
					return 'unsafe' if ref $c || $c ne 'ok';
				}
				return $n ? 'ok' : 'unsafe';
			}
		}
		my @p = @{$fn->{params}};
		for my $k (0 .. $#p) {
			return ['param', $k] if $p[$k] eq $id;
		}
		return 'ok' if $safe{$fn->{file}}{$id} || $safe{''}{$id};
	}
	return 'unsafe';
}

my (@bad, %seen_sink, $calls);
# [file the callee is static in (or '' for any), callee, argument index]
my @queue = map { ['', $_, $sink{$_}] } sort keys %sink;
while (my $item = shift @queue) {
	my ($in, $callee, $argi) = @$item;
	next if $seen_sink{"$in/$callee/$argi"}++;
	for my $f (@files) {
		next if $in ne '' && $f ne $in;
		my $s = $text{$f};
		while ($s =~ /\b\Q$callee\E\s*\(/g) {
			my $open = $+[0] - 1;
			my $at = $-[0];
			my $fn = enclosing($f, $at);
			# The definition itself, or a prototype.
			next if $fn && $fn->{name} eq $callee && $fn->{start} > $at - 1 - 0 && $at < $fn->{start};
			next if !$fn;
			my @args = call_args($s, $open);
			next if @args <= $argi;
			my $c = classify($args[$argi], $fn);
			$calls++;
			printf "%s: %s: %s(.. %s ..): %s\n", $f, $fn->{name}, $callee, trim($args[$argi]),
				ref $c ? "parameter $c->[1]: its callers are checked" : $c if $verbose;
			next if !ref $c && $c eq 'ok';
			if (ref $c) {
				push @queue, [$fn->{static} ? $f : '', $fn->{name}, $c->[1]];
				next;
			}
			next if $ALLOW{"$f $fn->{name}"};
			my $line = 1 + (substr($s, 0, $at) =~ tr/\n//);
			(my $call = "$callee(" . join(',', @args) . ')') =~ s/\s+/ /g;
			$call = substr($call, 0, 117) . '...' if length $call > 120;
			push @bad, "$f:$line: $fn->{name}: $call";
		}
	}
}

if (@bad) {
	print STDERR "sql-check: SQL not from literals or static arrays (bind the values, or " .
		"add the place to \%ALLOW in tests/sql-check.pl with the reason it is safe):\n";
	print STDERR "  $_\n" for @bad;
	exit 1;
}
printf "sql-check: %d calls in %d files: every statement from literals, static arrays " .
	"or the %d allowed builders\n", $calls, scalar @files, scalar keys %ALLOW;
exit 0;
