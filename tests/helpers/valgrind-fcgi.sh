#!/bin/sh
# Runs the FastCGI binary under valgrind; lighttpd spawns this as bin-path
# with the listening socket on stdin. VALGRIND_LOG names the report file.
exec valgrind --leak-check=full --show-leak-kinds=definite \
	--errors-for-leak-kinds=definite --track-origins=yes \
	--log-file="$VALGRIND_LOG" "$API_FCGI"
