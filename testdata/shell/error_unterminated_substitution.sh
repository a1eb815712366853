echo ok; echo "$(date" done
