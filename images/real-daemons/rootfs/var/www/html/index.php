<?php
// Answers through nginx; its line on stderr reaches the container log through php-fpm's master.
file_put_contents('php://stderr', "php-worker-output: request served\n");
echo "php-fpm says " . (6 * 7) . "\n";
